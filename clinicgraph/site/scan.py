"""Find tags in an HTML file as a browser's tokenizer does, with their offsets.

The scanner reads the file's bytes decoded as latin-1: one character per byte, so
every offset is a byte offset, and any ASCII-compatible encoding (UTF-8, windows-1252,
Shift_JIS ...) scans alike, since markup is ASCII. It finds tags only: it never builds
a tree and never re-serializes anything, so the caller can splice the original bytes.

Followed from the WHATWG tokenizer: comments (``<!-->`` and ``--!>`` included),
doctype and bogus comments, quoted attribute values holding ``>``, raw text elements
(``<style>``, ``<noscript>`` ...), RCDATA (``<title>``, ``<textarea>``), and the
script data states in which ``<!-- <script>`` hides a ``</script>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WHITESPACE = " \t\n\r\f"
RAWTEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"}
RCDATA = {"title", "textarea"}
# Start tags that stay in the head; any other start tag, or text, starts the body.
HEAD_CONTENT = {
    "base",
    "basefont",
    "bgsound",
    "link",
    "meta",
    "title",
    "noscript",
    "noframes",
    "style",
    "script",
    "template",
}

_SCRIPT_MARKS = re.compile(r"<!--|-->|</?script[\t\n\r\f />]", re.IGNORECASE)


@dataclass
class Tag:
    name: str  # lower case
    is_end: bool
    start: int  # offset of "<"
    end: int  # offset after ">"
    attrs: dict[str, str] = field(default_factory=dict)
    close: Tag | None = None  # for raw text elements: their end tag, None if the file ends first


@dataclass
class Text:
    start: int
    end: int


@dataclass
class Head:
    tag: Tag | None  # the explicit <head> start tag, if the file has one
    end: int  # where the head ends: the offset of </head> or of what closes it


def scan(text: str, start: int = 0) -> list[Tag | Text]:
    """Tags and text runs, in order; comments, doctypes and raw text are skipped."""
    out: list[Tag | Text] = []
    pos, n = start, len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            out.append(Text(pos, n))
            break
        if lt > pos:
            out.append(Text(pos, lt))
        pos = _markup(text, lt, out)
    return out


def _markup(text: str, lt: int, out: list) -> int:
    """Read the markup at ``lt``; append what it is and return the offset after it."""
    nxt = text[lt + 1 : lt + 2]
    if text.startswith("<!--", lt):
        return _comment_end(text, lt)
    if nxt in ("!", "?"):
        return _after(text, ">", lt + 2)  # doctype or bogus comment
    if nxt == "/":
        after = text[lt + 2 : lt + 3]
        if _is_letter(after):
            tag = _tag(text, lt, is_end=True)
            if tag is None:
                return len(text)  # a tag cut off by the end of the file
            out.append(tag)
            return tag.end
        if after == ">":
            return lt + 3  # "</>" is dropped
        return _after(text, ">", lt + 2) if after else len(text)
    if not _is_letter(nxt):
        out.append(Text(lt, lt + 1))  # a lone "<" is text
        return lt + 1
    tag = _tag(text, lt, is_end=False)
    if tag is None:
        return len(text)
    out.append(tag)
    if tag.name == "plaintext":
        return len(text)
    if tag.name in RAWTEXT or tag.name in RCDATA:
        content_end = (
            _script_end(text, tag.end) if tag.name == "script" else _end_tag_at(text, tag.name, tag.end)
        )
        if content_end < 0:
            return len(text)
        tag.close = _tag(text, content_end, is_end=True)
        if tag.close is None:
            return len(text)
        out.append(tag.close)
        return tag.close.end
    return tag.end


def _comment_end(text: str, lt: int) -> int:
    for abrupt in ("<!-->", "<!--->"):
        if text.startswith(abrupt, lt):
            return lt + len(abrupt)
    ends = [i + len(mark) for mark in ("-->", "--!>") if (i := text.find(mark, lt + 4)) >= 0]
    return min(ends) if ends else len(text)


def _after(text: str, char: str, pos: int) -> int:
    i = text.find(char, pos)
    return len(text) if i < 0 else i + 1


def _is_letter(char: str) -> bool:
    return len(char) == 1 and char.isascii() and char.isalpha()


def _tag(text: str, lt: int, is_end: bool) -> Tag | None:
    """The tag at ``lt`` with its attributes (first of a repeated name wins), or None
    when the file ends inside it (the tokenizer then drops it)."""
    n = len(text)
    i = lt + (2 if is_end else 1)
    j = i
    while j < n and text[j] not in WHITESPACE and text[j] not in "/>":
        j += 1
    tag = Tag(text[i:j].lower(), is_end, lt, 0)
    i = j
    while True:
        while i < n and (text[i] in WHITESPACE or text[i] == "/"):
            i += 1
        if i >= n:
            return None
        if text[i] == ">":
            tag.end = i + 1
            return tag
        j = i + 1  # a name may start with "="
        while j < n and text[j] not in WHITESPACE and text[j] not in "/>=":
            j += 1
        name, i, value = text[i:j].lower(), j, ""
        while i < n and text[i] in WHITESPACE:
            i += 1
        if i < n and text[i] == "=":
            i += 1
            while i < n and text[i] in WHITESPACE:
                i += 1
            if i < n and text[i] in "\"'":
                k = text.find(text[i], i + 1)
                if k < 0:
                    return None
                value, i = text[i + 1 : k], k + 1
            else:
                j = i
                while j < n and text[j] not in WHITESPACE and text[j] != ">":
                    j += 1
                value, i = text[i:j], j
        tag.attrs.setdefault(name, value)


def _end_tag_at(text: str, name: str, pos: int) -> int:
    """Where raw text or RCDATA content ends: the next ``</name`` followed by space, / or >."""
    found = re.compile(rf"</{name}[\t\n\r\f />]", re.IGNORECASE).search(text, pos)
    return found.start() if found else -1


def _script_end(text: str, pos: int) -> int:
    """Where a script's content ends, following the script data (double) escaped states:
    inside ``<!--``, a ``<script>`` hides the next ``</script>`` until ``-->``."""
    state, i = "data", pos
    while (mark := _SCRIPT_MARKS.search(text, i)) is not None:
        token, at = mark.group().lower(), mark.start()
        if token == "<!--":
            state = "escaped" if state == "data" else state
            i = at + 2  # "<!-->": the dashes may close it again
        elif token == "-->":
            state = "data" if state != "data" else state
            i = mark.end()
        elif token.startswith("</"):
            if state != "double":
                return at
            state, i = "escaped", at + 8
        else:  # "<script" opens a double escape
            state = "double" if state == "escaped" else state
            i = at + 7
    return -1


def find_head(tokens: list[Tag | Text], text: str) -> Head:
    """Where the head is, as the HTML tree builder decides: an explicit ``<head>`` if
    the file has one, and the offset at which the head ends, at ``</head>`` or at the
    first text or tag that belongs to the body (the ``<head>`` and ``</head>`` tags are
    optional in HTML)."""
    head_tag, in_head, templates = None, False, 0
    for token in tokens:
        if isinstance(token, Text):
            if templates:
                continue
            k = next((i for i in range(token.start, token.end) if text[i] not in WHITESPACE), None)
            if k is not None:
                return Head(head_tag, k)
            continue
        if templates:  # a template's content is its own
            if token.name == "template":
                templates += -1 if token.is_end else 1
            continue
        if token.is_end:
            if token.name in ("head", "body", "html", "br"):
                return Head(head_tag, token.start)
            continue  # stray end tags are ignored here
        if token.name == "html":
            continue
        if token.name == "head":
            if head_tag is None and not in_head:
                head_tag, in_head = token, True
            continue
        if token.name in HEAD_CONTENT:
            in_head = True
            templates = 1 if token.name == "template" else 0
            continue
        return Head(head_tag, token.start)
    return Head(head_tag, len(text))
