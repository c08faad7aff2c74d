"""Source files are UTF-8 text. A UTF-8 byte order mark is accepted (editors on Windows
write one); UTF-16 and UTF-32 (with or without a mark) and binary files are refused with
a line that says what the file is, not merely which byte failed."""

from __future__ import annotations

from pathlib import Path

from clinicgraph.core.errors import SourceError

_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(data: bytes, where: str | Path) -> str:
    for mark, name in _MARKS:
        if data.startswith(mark):
            raise SourceError(
                f"{name} text (it starts with a {name} byte order mark): save the file as UTF-8", where, 1
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        what = "UTF-16 text without a byte order mark" if _looks_utf16(data) else "binary data, not text"
        raise SourceError(
            f"{what} (a NUL byte): save the file as UTF-8 text", where, data.count(b"\n", 0, nul) + 1
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded (save the file as UTF-8)",
            where,
            line,
        ) from None


def _looks_utf16(data: bytes) -> bool:
    """ASCII written as UTF-16 puts a NUL beside every character."""
    head = data[:200]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4)
