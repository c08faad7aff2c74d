"""JSON-LD inside ``<script type="application/ld+json">``, safe to put in any HTML page.

Inside a script element the HTML parser looks for ``</script`` and ``<!--``; escaping
``<``, ``>`` and ``&`` as JSON's ``\\u003c`` ... removes every such sequence, and
U+2028/U+2029 are escaped for JavaScript consumers that eval older JSON. These
characters can only occur inside JSON strings, where the escapes mean the same text.
"""

from __future__ import annotations

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
            "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TABLE = str.maketrans(_ESCAPES)

OPEN_TAG = '<script type="application/ld+json" data-clinicgraph>'
CLOSE_TAG = "</script>"


def script_safe(json_text: str) -> str:
    """JSON text that cannot end or comment out the script element holding it."""
    return json_text.translate(_TABLE)


def script_tag(json_bytes: bytes) -> bytes:
    body = script_safe(json_bytes.decode("utf-8").rstrip("\n"))
    return f"{OPEN_TAG}\n{body}\n{CLOSE_TAG}\n".encode("utf-8")
