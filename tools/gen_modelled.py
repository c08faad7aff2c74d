"""Generate clinicgraph/vocab/data/modelled.json, the built-in schema.org subset.

schema.org vocabulary, release 30.0, (c) schema.org sponsors, CC BY-SA 3.0
(http://creativecommons.org/licenses/by-sa/3.0/). The subset is derived from it.

Run by hand when the release changes (the tests check that re-running it reproduces
the committed file byte for byte)::

    python tools/gen_modelled.py ../shared/schemaorg/schemaorg-current-https.ttl

The subset is what clinicgraph models for a clinic's health content: the types below
with all their ancestors, the listed type families with all their subtypes, every
property whose domain includes one of those types, the enumerations those properties
range over, and every member of an included enumeration; of every other term, its name
only (``otherNames``), so that a real term is never taken for a typo, and of every other
type its supertypes (``otherTypes``), so the type hierarchy is whole. Records are kept whole (a property's ranges may name types outside the
subset), so every fact in the file is a fact of the release.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout, installed or not

from clinicgraph.vocab.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

RELEASE = "30.0"
ATTRIBUTION = f"schema.org vocabulary, release {RELEASE}, (c) schema.org sponsors, CC BY-SA 3.0"
LICENSE = "http://creativecommons.org/licenses/by-sa/3.0/"
OUTPUT = REPO / "clinicgraph" / "vocab" / "data" / "modelled.json"

# Types clinicgraph writes or reads; their ancestors come along.
TYPES = [
    "Thing",
    "CreativeWork",
    "WebSite",
    "Article",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "MedicalAudience",
    "PhysicalActivityCategory",
    "Organization",
    "LocalBusiness",
    "Person",
    "PostalAddress",
    "ContactPoint",
    "GeoCoordinates",
    "OpeningHoursSpecification",
    "DayOfWeek",
    "AggregateRating",
    "Rating",
    "Review",
    "ImageObject",
    "MediaObject",
    "Place",
    "Country",
    "Language",
    "ItemList",
    "ListItem",
    "BreadcrumbList",
    "Text",
    "URL",
    "Number",
    "Integer",
    "Float",
    "Date",
    "DateTime",
    "Time",
    "Boolean",
    "DataType",
]

# Families taken whole: page detection needs every WebPage subtype, and health
# content may use any medical entity, enumeration, business or organisation type.
FAMILIES = ["WebPage", "MedicalEntity", "MedicalEnumeration", "MedicalBusiness", "MedicalOrganization"]

# Too general to take whole: every enumeration descends from them (Enumeration is a
# range of supersededBy; QualitativeValue of doseValue and costPerUnit).
GENERAL = {"Enumeration", "QualitativeValue"}


def select(vocab: Vocabulary) -> list[str]:
    """The names of the terms in the subset."""
    missing = [t for t in TYPES + FAMILIES if not vocab.is_type(t)]
    if missing:
        raise SystemExit(f"not types in this release: {', '.join(missing)}")
    types: set[str] = set(TYPES)
    for family in FAMILIES:
        types |= vocab.subtypes(family)
    types |= {t for t in vocab.names("type") if vocab.is_data_type(t)}  # Quantity, CssSelectorType...
    types = _with_ancestors(vocab, types)
    props = {p for p in vocab.names("property") if vocab.domains(p) & types}
    # Enumerations the included properties take values from (GenderType, ItemListOrderType,
    # ContactPointOption...), so their members are known too. One pass, not a fixpoint:
    # their own properties come along, but not the enumerations those range over.
    enums = {r for p in props for r in vocab.ranges(p) if vocab.is_subtype(r, "Enumeration")}
    enums -= GENERAL
    types = _with_ancestors(vocab, types.union(*(vocab.subtypes(e) for e in enums)))
    props = {p for p in vocab.names("property") if vocab.domains(p) & types}
    members = {m for m in vocab.names("member") if vocab.member_types(m) & types}
    return sorted(types | props | members)


def _with_ancestors(vocab: Vocabulary, types: set[str]) -> set[str]:
    return set().union(*(vocab.ancestors(t) for t in types))


def render(release: str | Path) -> str:
    """The text of modelled.json for a release file: deterministic, sorted, indent 1."""
    vocab = load_vocabulary(release)  # a path never falls back to the built-in subset
    chosen = select(vocab)
    # The names of every other term, without their facts: enough to tell a real term
    # from a typo offline, at a fifth of the size of their records.
    others = {kind: " ".join(sorted(vocab.names(kind) - set(chosen))) for kind in ("property", "member")}
    # Every other type with its direct supertypes: rules that target LocalBusiness must
    # reach a Restaurant or a Dentist offline too.
    other_types = {
        name: sorted(vocab.records([name])[name].get("subClassOf", ()))
        for name in sorted(vocab.names("type") - set(chosen))
    }
    data = {
        "attribution": ATTRIBUTION,
        "license": LICENSE,
        "release": RELEASE,
        "terms": vocab.records(chosen),
        "otherNames": others,
        "otherTypes": other_types,
    }
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", help="schemaorg-current-https.ttl (or .jsonld)")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render(args.release)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.output} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
