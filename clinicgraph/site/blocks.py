"""Put one page's JSON-LD block into its HTML file, changing no other byte.

The file is never parsed into a tree and written back: site.scan finds the head and
any block of ours (a ``<script data-clinicgraph>``), then the original bytes are
spliced. The first block of ours in the head is replaced where it stands; others of
ours are removed; without one, the block goes at the end of the head (before
``</head>``, or where the head ends when the file leaves out the optional head tags).
Every other script, JSON-LD from other tools included, stays as it was.

The block is written in the file's line endings. Its JSON is UTF-8 when the file is
UTF-8 (a BOM, or ``<meta charset>`` saying so) and ASCII with ``\\uXXXX`` escapes
otherwise, so it reads the same whatever encoding the file is in.
"""

from __future__ import annotations

import re

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.site.scan import WHITESPACE, Head, Tag, find_head, scan
from clinicgraph.site.script import CLOSE_TAG, OPEN_TAG, script_safe

MARKER = "data-clinicgraph"
UTF8_BOM = b"\xef\xbb\xbf"
# Labels browsers read as UTF-8; a meta tag naming UTF-16 also means UTF-8 (HTML spec).
_UTF8_LABELS = {
    "utf-8",
    "utf8",
    "unicode-1-1-utf-8",
    "unicode11utf8",
    "unicode20utf8",
    "x-unicode20utf8",
    "utf-16",
    "utf-16le",
    "utf-16be",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CHARSET_IN_CONTENT = re.compile(r"charset\s*=\s*[\"']?\s*([^\s\"';]+)", re.IGNORECASE)


def embed_block(data: bytes, json_text: str) -> bytes:
    """``data`` with exactly one block of ours, holding ``json_text``, in its head.

    Raises ClinicgraphError (with a line) for a file it cannot edit safely."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in data[:1024]:
        raise ClinicgraphError(
            "is UTF-16 or UTF-32: only ASCII-compatible encodings (UTF-8, "
            "windows-1252 ...) can be edited in place; save the file as UTF-8"
        )
    if not data.strip(WHITESPACE.encode()):
        raise ClinicgraphError("is empty: not an HTML page")
    text = data.decode("latin-1")  # one character per byte: offsets are byte offsets
    has_bom = data.startswith(UTF8_BOM)
    tokens = scan(text, 3 if has_bom else 0)
    head = find_head(tokens, text)
    blocks = _our_blocks(tokens, text)
    newline = _newline(text, blocks)
    utf8 = has_bom or _declares_utf8(tokens, head)

    def render(indent: str) -> bytes:
        return _render(json_text, newline, utf8, indent)

    edits: list[tuple[int, int, bytes]] = []
    keep = next((tag for tag in blocks if tag.start < head.end), None)
    for tag in blocks:
        if tag is keep:
            edits.append((tag.start, _block_end(tag), render(_indent_at(text, tag.start))))
        else:
            start, end = _whole_lines(text, tag.start, _block_end(tag))
            edits.append((start, end, b""))
    if keep is None:
        edits.append(_insertion(text, head, render, newline))
    edits.sort(key=lambda edit: edit[0])
    out, pos = [], 0
    for start, end, replacement in edits:
        out += [data[pos:start], replacement]
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _our_blocks(tokens: list, text: str) -> list[Tag]:
    blocks = [
        token
        for token in tokens
        if isinstance(token, Tag) and not token.is_end and token.name == "script" and MARKER in token.attrs
    ]
    for tag in blocks:
        if tag.close is None:  # replacing it would swallow the rest of the file
            raise ClinicgraphError(
                f"<script {MARKER}> is never closed: add </script>", line=text.count("\n", 0, tag.start) + 1
            )
    return blocks


def _block_end(tag: Tag) -> int:
    """Where a block of ours ends: after its ``</script>`` (``_our_blocks`` refuses one without)."""
    assert tag.close is not None
    return tag.close.end


def _newline(text: str, blocks: list[Tag]) -> str:
    """The file's most common line ending, counted outside our blocks; "\\n" if none."""
    for tag in reversed(blocks):
        text = text[: tag.start] + text[_block_end(tag) :]
    crlf = text.count("\r\n")
    counts = {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}
    best = max(counts, key=lambda key: (counts[key], key == "\n"))
    return best if counts[best] else "\n"


def _declares_utf8(tokens: list, head: Head) -> bool:
    """The first charset a meta tag in the head declares, read as a browser reads it."""
    for token in tokens:
        if token.start >= head.end:
            break
        if not isinstance(token, Tag) or token.name != "meta" or token.is_end:
            continue
        label = token.attrs.get("charset")
        if label is None and token.attrs.get("http-equiv", "").strip().lower() == "content-type":
            found = _CHARSET_IN_CONTENT.search(token.attrs.get("content", ""))
            label = found.group(1) if found else None
        if label is not None:
            return label.strip(WHITESPACE).lower() in _UTF8_LABELS
    return False


def _render(json_text: str, newline: str, utf8: bool, indent: str) -> bytes:
    # Raw line breaks only occur between JSON tokens (inside strings they are escaped),
    # and so do non-ASCII characters only inside strings: both rewrites keep the JSON.
    lines = script_safe(json_text.rstrip("\n")).split("\n") + [CLOSE_TAG]
    block = OPEN_TAG + "".join(newline + indent + line for line in lines)
    if utf8:
        return block.encode("utf-8")
    return _NON_ASCII.sub(_u_escape, block).encode("ascii")


def _u_escape(match: re.Match) -> str:
    encoded = match.group().encode("utf-16-be")
    return "".join(f"\\u{encoded[i]:02x}{encoded[i + 1]:02x}" for i in range(0, len(encoded), 2))


def _line_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """A block to remove, with its line when it stands alone on it."""
    line_start = _line_start(text, start)
    if line_start and text[line_start - 1] not in "\r\n":
        return start, end
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    for newline in ("\r\n", "\n", "\r"):
        if text.startswith(newline, after):
            return line_start, after + len(newline)
    return (line_start, after) if after == len(text) else (start, end)


def _indent_at(text: str, pos: int) -> str:
    """The indentation before ``pos`` when only spaces and tabs precede it on its line."""
    line_start = _line_start(text, pos)
    return text[line_start:pos] if line_start == 0 or text[line_start - 1] in "\r\n" else ""


def _insertion(text: str, head: Head, render, newline: str) -> tuple[int, int, bytes]:
    """Insert at the end of the head: on a line of its own, indented like the line above,
    when what ends the head starts a line; else right before it (minified files)."""
    at = head.end
    line_start = _line_start(text, at)
    if line_start and text[line_start - 1] not in "\r\n":
        return at, at, render("")
    indent = _indent_above(text, line_start, head)
    return line_start, line_start, indent.encode("ascii") + render(indent) + newline.encode("ascii")


def _indent_above(text: str, line_start: int, head: Head) -> str:
    """The indentation of the nearest non-blank line above; one level more if that line
    ends with the <head> tag (an empty head)."""
    for line in reversed(re.split(r"\r\n|\n|\r", text[:line_start])[:-1]):
        if line.strip(WHITESPACE):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if head.tag is not None and line.rstrip(WHITESPACE).endswith(text[head.tag.start : head.tag.end]):
                indent += "\t" if "\t" in indent else "  "
            return indent
    return ""
