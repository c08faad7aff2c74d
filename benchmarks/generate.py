"""Synthetic but realistic clinic networks, seeded: the same size gives the same site.

N clinics (MedicalClinic with address, geo, hours, telephone, aggregate rating, five
reviews with authors, three practitioners) and M conditions (3-6 causes, 2-4 risk
factors, three symptoms, 4-8 treatments and preventions, anatomy, four citations), and
one MedicalWebPage per condition per clinic plus each clinic's home page.

Derivation: every page gets its breadcrumb trail (Network > Clinics > Clinic k > the
page: ``/clinics/`` is no page, so clinicgraph.toml names it). Wiring adds little: the
pages write their isPartOf and publisher by hand, as a network's older pages would;
only the clinics' home pages take ``inLanguage`` from ``[site] language``.

    python benchmarks/generate.py medium /tmp/site            # Turtle
    python benchmarks/generate.py small /tmp/site --yaml      # the YAML source format
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SIZES = {"small": (10, 50), "medium": (100, 200), "large": (300, 500)}
SITE = "https://network.example/"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WORDS = [
    "back",
    "neck",
    "shoulder",
    "knee",
    "hip",
    "wrist",
    "ankle",
    "spine",
    "muscle",
    "joint",
    "disc",
    "nerve",
    "tendon",
    "ligament",
    "strain",
    "sprain",
    "pain",
    "stiffness",
    "swelling",
    "weakness",
    "posture",
    "lifting",
    "running",
    "sitting",
    "sleep",
    "diet",
    "water",
    "stretching",
    "walking",
    "strength",
    "balance",
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def condition(rng: random.Random, c: int) -> dict:
    def nodes(kind, low, high, extra=None):
        return [
            {"type": kind, "name": f"{words(rng, 3).capitalize()} {c}-{i}", **(extra or {})}
            for i in range(rng.randint(low, high))
        ]

    treatments = nodes("PhysicalActivity", 2, 4) + nodes("Diet", 2, 4)
    return {
        "type": "MedicalCondition",
        "id": f"conditions/c{c}#condition",
        "name": f"Condition {c}",
        "description": words(rng, 30).capitalize() + ".",
        "cause": nodes("MedicalCause", 3, 6),
        "riskFactor": nodes("MedicalRiskFactor", 2, 4),
        "signOrSymptom": nodes("MedicalSymptom", 3, 3),
        "possibleTreatment": treatments[: len(treatments) // 2],
        "secondaryPrevention": treatments[len(treatments) // 2 :],
        "associatedAnatomy": {"type": "AnatomicalStructure", "name": words(rng, 2).capitalize()},
    }


def clinic(rng: random.Random, k: int) -> dict:
    return {
        "type": "MedicalClinic",
        "id": f"clinics/k{k}#clinic",
        "name": f"Clinic {k}",
        "url": f"{SITE}clinics/k{k}/",
        "telephone": f"+1-604-555-{k:04d}",
        "image": f"{SITE}images/k{k}.png",
        "priceRange": "$$",
        "address": {
            "type": "PostalAddress",
            "streetAddress": f"{k} Main Street",
            "addressLocality": "Coquitlam",
            "addressRegion": "BC",
            "postalCode": "V3B 2P7",
            "addressCountry": "CA",
        },
        "geo": {
            "type": "GeoCoordinates",
            "latitude": round(49.2 + rng.random() / 10, 6),
            "longitude": round(-122.8 - rng.random() / 10, 6),
        },
        "openingHoursSpecification": [
            {
                "type": "OpeningHoursSpecification",
                "dayOfWeek": {"id": f"schema:{d}"},
                "opens": "09:00",
                "closes": "17:00",
            }
            for d in DAYS
        ],
        "aggregateRating": {
            "type": "AggregateRating",
            "ratingValue": round(3.5 + rng.random() * 1.5, 1),
            "bestRating": 5,
            "reviewCount": rng.randint(20, 900),
        },
        "review": [
            {
                "type": "Review",
                "reviewBody": words(rng, 25).capitalize() + ".",
                "author": {"type": "Person", "name": f"Patient {k}-{r}"},
                "reviewRating": {"type": "Rating", "ratingValue": rng.randint(3, 5), "bestRating": 5},
            }
            for r in range(5)
        ],
        "employee": [
            {"type": "Person", "name": f"Dr Practitioner {k}-{p}", "jobTitle": "Chiropractor"}
            for p in range(3)
        ],
    }


def pages(k: int, conditions: int) -> list[dict]:
    home = {
        "type": "WebPage",
        "id": f"clinics/k{k}/#webpage",
        "url": f"{SITE}clinics/k{k}/",
        "name": f"Clinic {k}",
        "about": {"id": f"clinics/k{k}#clinic"},
        "publisher": {"id": f"clinics/k{k}#clinic"},
        "isPartOf": f"{SITE}#website",
    }
    return [home] + [
        {
            "type": "MedicalWebPage",
            "id": f"clinics/k{k}/c{c}/#webpage",
            "url": f"{SITE}clinics/k{k}/c{c}/",
            "name": f"Condition {c} at Clinic {k}",
            "inLanguage": "en-CA",
            "lastReviewed": "2026-01-31",
            "about": {"id": f"conditions/c{c}#condition"},
            "publisher": {"id": f"clinics/k{k}#clinic"},
            "reviewedBy": {"id": f"clinics/k{k}#clinic"},
            "isPartOf": f"{SITE}#website",
            "citation": [{"id": f"{SITE}sources/s{(c + i) % 40}#source"} for i in range(4)],
        }
        for c in range(conditions)
    ]


def site(size: str, seed: int = 20261125) -> list[tuple[str, list[dict]]]:
    """(file name, nodes) for every source file of a size."""
    clinics, conditions = SIZES[size]
    rng = random.Random(seed)
    files = [
        ("website.yaml", [{"type": "WebSite", "id": "#website", "url": SITE, "name": "Network"}]),
        (
            "sources.yaml",
            [
                {
                    "type": "WebSite",
                    "id": f"{SITE}sources/s{i}#source",
                    "name": f"Source {i}",
                    "url": f"https://source{i}.example/",
                }
                for i in range(40)
            ],
        ),
        ("conditions.yaml", [condition(rng, c) for c in range(conditions)]),
    ]
    for k in range(clinics):
        files.append((f"clinics/k{k}.yaml", [clinic(rng, k)] + pages(k, conditions)))
    return files


def config() -> str:
    """Every size's clinicgraph.toml: the levels of the pages' URLs that are no page named,
    so the benchmark derives full breadcrumb trails."""
    return (
        f'[site]\nurl = "{SITE}"\nname = "Network"\nlanguage = "en-CA"\n\n'
        '[derive.breadcrumbs]\nnames = { "/clinics/" = "Clinics" }\n'
    )


def write(size: str, folder: Path, as_yaml: bool = False) -> Path:
    """Write a size's project into ``folder``: YAML sources, or the same graph as one
    Turtle file per YAML file (made by loading the YAML through clinicgraph: one graph,
    two syntaxes; a file per clinic, as a network keeps them, so that changing one
    clinic changes one file)."""
    import tempfile

    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clinicgraph.toml").write_text(config())
    if not as_yaml:
        from pyoxigraph import NamedNode, Triple

        from clinicgraph import pipeline
        from clinicgraph.exporters.rdf import dump_triples
        from clinicgraph.graph import ids
        from clinicgraph.graph.store import sort_key

        with tempfile.TemporaryDirectory() as scratch:
            project = pipeline.open_project(write(size, Path(scratch), as_yaml=True))
            for relpath in project.sources:
                quads = project.store.oxigraph.quads_for_pattern(
                    None, None, None, NamedNode(ids.source_graph(relpath))
                )
                triples = sorted((Triple(q.subject, q.predicate, q.object) for q in quads), key=sort_key)
                path = folder / Path(relpath).with_suffix(".ttl")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(dump_triples(triples, "turtle"))
        return folder
    for name, nodes in site(size):
        path = folder / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(nodes, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=SIZES)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--yaml", action="store_true", help="write the YAML source format (default: Turtle)")
    args = parser.parse_args()
    print(write(args.size, args.folder, args.yaml))
