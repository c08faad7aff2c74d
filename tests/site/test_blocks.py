"""One file: the block goes into the head, and every byte outside it stays.

The oracle for "in the head" is html5rdf, a WHATWG tree builder (html5lib's fork),
not clinicgraph's own scanner; tests/browser asks a real Chromium the same.
"""

import json
import re

import html5rdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.site.blocks import embed_block

DOCUMENT = {
    "@context": "https://schema.org",
    "@graph": [
        {
            "@id": "https://clinic.example/#clinic",
            "@type": "MedicalClinic",
            "name": 'Café </script><!-- \u2028 "q" \U0001f600',
        }
    ],
}
JSON = json.dumps(DOCUMENT, indent=2, ensure_ascii=False) + "\n"
OTHER_JSONLD = '<script type="application/ld+json">{"@type": "BreadcrumbList", "name": "Yoast"}</script>'
BLOCK = re.compile(rb'<script type="application/ld\+json" data-clinicgraph>.*?</script>', re.S)
XHTML = "{http://www.w3.org/1999/xhtml}"


def ours_in_tree(html: bytes, encoding="utf-8"):
    """(scripts of ours in <head>, scripts of ours anywhere) as a WHATWG parser builds the tree."""
    root = html5rdf.parse(html.decode(encoding), scripting=True)
    head = root.find(XHTML + "head")
    mine = [el for el in root.iter(XHTML + "script") if "data-clinicgraph" in el.attrib]
    in_head = [el for el in head if el.tag == XHTML + "script" and "data-clinicgraph" in el.attrib]
    return in_head, mine


def assert_embedded(original: bytes, out: bytes, encoding="utf-8"):
    """One block of ours, in the head, holding the document; a second run changes nothing."""
    in_head, mine = ours_in_tree(out, encoding)
    assert len(in_head) == len(mine) == 1, out
    assert json.loads(in_head[0].text) == DOCUMENT
    assert embed_block(out, JSON) == out


def assert_only_inserted(original: bytes, out: bytes):
    """``out`` is ``original`` with our block inserted in one place (alone on its line,
    indented, or inline), and no other byte added, removed or changed."""
    (block,) = BLOCK.finditer(out)
    indent = re.search(rb"[ \t]*\Z", out[: block.start()]).group()
    newline = re.match(rb"\r\n|\n|\r|", out[block.end() :]).group()
    assert any(
        out[:start] + out[end:] == original
        for start in (block.start(), block.start() - len(indent))
        for end in (block.end(), block.end() + len(newline))
    ), out


@pytest.mark.parametrize(
    "html",
    [
        b"<!DOCTYPE html>\n<html>\n<head>\n  <title>A</title>\n</head>\n<body><p>x</p></body>\n</html>\n",
        b"<!DOCTYPE html>\r\n<HTML>\r\n<HEAD>\r\n\t<TITLE>A</TITLE>\r\n</HEAD>\r\n<BODY>x</BODY>\r\n</HTML>\r\n",
        b"<!doctype html><html><head><meta charset=utf-8><title>A</title></head><body>x</body></html>",
        b"<!doctype html>\n<meta charset=utf-8>\n<title>no head tag</title>\n<p>body text\n",
        b"<p>no head at all</p>",
        b"<html><head><title>unclosed head</title>\n<body>x</body></html>",
        b"<head>\n<script>var s = '</head><body>';</script>\n<style>p::after{content:'</head>'}</style>\n</head>\n",
        b"<head><script><!-- document.write('<script>x()</script>'); --></script></head><body>x</body>",
        b"<head><script><!--<script>a()</script><script>b()</script>--></script><title>t</title></head>",
        b"<head><!-- <script data-clinicgraph>not ours, a comment</script> --><title>c</title></head>",
        b"<head><title><script data-clinicgraph>a title's text</script></title></head>",
        b"<head><link rel=x href='a>b'></head><p>x",
        b"<head><meta content='>' name=x><noscript><style>a{}</style></noscript></head><body>x</body>",
        b"<!--[if IE]><p>old<![endif]--><?xml nonsense?><head></head>",
        b"\xef\xbb\xbf<!DOCTYPE html><head><meta charset=utf-8></head><body>BOM</body>",
    ],
)
def test_inserted_into_the_head_and_nothing_else_changes(html):
    out = embed_block(html, JSON)
    assert_only_inserted(html, out)
    assert_embedded(html, out, "utf-8-sig")


def test_other_scripts_and_other_json_ld_stay_byte_for_byte():
    html = (
        f"<html><head>\n  {OTHER_JSONLD}\n  <script>window.a = '<!--';</script>\n"
        "  <script src=app.js defer></script>\n</head><body></body></html>"
    ).encode()
    out = embed_block(html, JSON)
    assert_only_inserted(html, out)
    assert out.count(OTHER_JSONLD.encode()) == 1 and out.count(b"<script") == 4


def test_previous_block_replaced_in_place_and_extra_blocks_removed():
    old = b'<script type="application/ld+json" data-clinicgraph>{"old": 1}</script>'
    html = (
        b"<html>\r\n<head>\r\n  <title>A</title>\r\n  "
        + old
        + b"\r\n  <meta name=a>\r\n  "
        + old
        + b"\r\n</head>\r\n<body>\r\n"
        + old
        + b"\r\n<p>x</p>\r\n</body>\r\n</html>\r\n"
    )
    out = embed_block(html, JSON)
    assert_embedded(html, out)
    start = html.index(old)
    assert out.startswith(html[:start]) and b'{"old"' not in out
    assert out.endswith(b"\r\n  <meta name=a>\r\n</head>\r\n<body>\r\n<p>x</p>\r\n</body>\r\n</html>\r\n")
    assert b"\n" not in out.replace(b"\r\n", b"")  # the block is written with the file's CRLF


def test_block_only_in_the_body_moves_to_the_head():
    html = b'<head><title>A</title></head><body><script data-clinicgraph type="application/ld+json">{}</script></body>'
    out = embed_block(html, JSON)
    assert_embedded(html, out)
    assert out.endswith(b"</head><body></body>")


def test_block_is_utf8_only_where_the_file_says_utf8():
    utf8 = embed_block(b"<head><meta charset=UTF-8></head>", JSON)
    assert "Café".encode() in utf8 and "\U0001f600".encode() in utf8
    for html in (
        b"<head><meta charset=windows-1252><title>Caf\xe9</title></head>",
        b"<head><meta http-equiv=Content-Type content='text/html; charset=iso-8859-1'></head>",
        b"<head><title>no declaration</title></head>",
    ):
        out = embed_block(html, JSON)
        assert_only_inserted(html, out)
        inserted = BLOCK.search(out).group()
        assert inserted.isascii() and b"Caf\\u00e9" in inserted and b"\\ud83d\\ude00" in inserted
        assert_embedded(html, out, "windows-1252")


def test_a_template_in_the_head_does_not_end_it():
    # html5lib predates <template>, so Chromium checks the tree (tests/browser); here the bytes.
    html = b"<head><template><p>in a template</p></template><title>t</title></head><p>x"
    out = embed_block(html, JSON)
    assert_only_inserted(html, out)
    assert out.index(b"data-clinicgraph") > out.index(b"<title>t</title>")


def test_indentation_follows_the_head():
    out = embed_block(b"<html>\n  <head>\n    <title>A</title>\n  </head>\n</html>\n", JSON).decode()
    assert '\n    <script type="application/ld+json" data-clinicgraph>\n    {\n' in out
    assert "\n    </script>\n  </head>\n" in out
    empty = embed_block(b"<html>\n<head>\n</head>\n</html>\n", JSON).decode()
    assert '<head>\n  <script type="application/ld+json" data-clinicgraph>\n' in empty


@pytest.mark.parametrize(
    "html, message",
    [
        (b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "UTF-16"),
        (b" \n\t", "empty"),
        (b"<head>\n<script data-clinicgraph>{\n", "never closed"),
    ],
)
def test_files_it_cannot_edit_safely_are_refused(html, message):
    with pytest.raises(ClinicgraphError, match=message):
        embed_block(html, JSON)


def test_unclosed_block_names_its_line():
    with pytest.raises(ClinicgraphError) as caught:
        embed_block(b"<head>\n<title>A</title>\n<script data-clinicgraph>{\n", JSON)
    assert caught.value.line == 3


# --- any mix of head and body markup -------------------------------------------------
PIECES = [
    "<!DOCTYPE html>",
    "<html lang=en>",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "</html>",
    "<meta charset=utf-8>",
    "<title>t</title>",
    "<title></head></title>",
    "<link rel=a href='>'>",
    "<!-- <head> </head> <script data-clinicgraph> -->",
    "<!---->",
    "<!-->",
    "<?pi x?>",
    OTHER_JSONLD,
    "<script>if (a < b) x = '</head>';</script>",
    "<script><!-- <script></script> --></script>",
    "<style>b{}</style>",
    "<noscript></noscript>",
    "<p>para</p>",
    "text",
    " ",
    "\n",
    "\r\n",
    "\t",
    "<br>",
    "</p>",
    "<div class='a\"b'>",
    "<SCRIPT>1</SCRIPT>",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_any_document_gets_one_block_in_its_head_and_keeps_every_other_byte(pieces):
    html = "".join(pieces).encode()
    if not html.strip():
        return
    out = embed_block(html, JSON)
    assert_only_inserted(html, out)
    assert_embedded(html, out)
