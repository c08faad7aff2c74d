"""Generate clinicgraph/vocab/data/context.json from schema.org's official JSON-LD context.

The official context maps every term ``T`` to ``schema:T``, which ``"@vocab":
"http://schema.org/"`` already does; what it adds beyond that are its prefixes, the
``id``/``type`` aliases and the ~130 terms coerced to IRIs or to ``schema:Date``. This
script keeps exactly those, so the package carries a small context that expands every
document the way the official one does, instead of a copy of the 210 KB file.
tests/vocab/test_context.py proves the equivalence on the official file.

    python tools/gen_context.py ../shared/schemaorg/schemaorgcontext.jsonld

Derived from the schema.org vocabulary, release 30.0, (c) schema.org sponsors, CC BY-SA 3.0.
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "clinicgraph" / "vocab" / "data" / "context.json"


def essential_context(official: dict) -> dict:
    """The entries of the official context that @vocab alone would not reproduce."""
    kept = {}
    for term, definition in official["@context"].items():
        if isinstance(definition, dict) and definition == {"@id": f"schema:{term}"}:
            continue  # what @vocab gives anyway
        kept[term] = definition
    return {
        "@context": dict(sorted(kept.items())),
        "_attribution": "Derived from the schema.org vocabulary, release 30.0, "
        "(c) schema.org sponsors, CC BY-SA 3.0",
    }


def main(path: str) -> None:
    official = json.loads(Path(path).read_text(encoding="utf-8"))
    OUT.write_text(
        json.dumps(essential_context(official), indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1])
