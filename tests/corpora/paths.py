"""Other people's data, read in place from ``<repo>/../shared/corpora`` (never copied here)."""

from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def corpus(*parts: str) -> Path:
    """A file or folder of the shared corpora; the test fails (not skips) if it is missing,
    so a CI machine without them cannot pass by testing nothing."""
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"corpus missing: expected {path}")
    return path
