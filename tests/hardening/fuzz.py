"""Fuzzing the two entry points that read what people (or other tools) wrote: a YAML
content file, loaded as a project, and an HTML page, imported. Whatever the input, the
only outcomes allowed are success and a ClinicgraphError (the CLI's one line, exit 2);
anything else would reach the user as a traceback.

    python tests/hardening/fuzz.py --examples 100000     # the large run; prints counts
    python -m pytest tests/hardening/test_fuzz.py        # a reduced run in the suite

Inputs are half structure-aware (schema.org-ish YAML and JSON-LD, built then damaged by
splicing in random text) and half raw text or bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicgraph import pipeline
from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.project import load_project
from clinicgraph.vocab.vocabulary import builtin_vocabulary

TOML = '[site]\nurl = "https://clinic.example/"\n'
KEYS = [
    "type",
    "id",
    "@id",
    "@type",
    "@context",
    "@graph",
    "@value",
    "@language",
    "name",
    "url",
    "sameAs",
    "address",
    "streetAddress",
    "ratingValue",
    "bestRating",
    "reviewCount",
    "aggregateRating",
    "review",
    "datePublished",
    "lastReviewed",
    "cause",
    "about",
    "image",
    "logo",
    "telephone",
    "author",
    "subjectOf",
]
TYPES = [
    "MedicalClinic",
    "MedicalCondition",
    "WebPage",
    "MedicalWebPage",
    "AggregateRating",
    "Review",
    "PostalAddress",
    "Person",
    "Thing",
    "NoSuchType",
]
NASTY = [
    "&a",
    "*a",
    "!!python/object:os.system",
    "\t",
    "- ",
    ": ",
    "{",
    "[",
    "]",
    "}",
    "#",
    "'",
    '"',
    "\\",
    "\x00",
    "\x07",
    "\ufeff",
    "\u2028",
    "%YAML 1.1",
    "---",
    "...",
    "? ",
    "|",
    ">",
    "</script>",
    "<!--",
    "javascript:alert(1)",
    "data:,x",
    "https://schema.org",
    "http://exa mple/",
    "2024-02-30",
    ".nan",
    "4,5",
    "-1",
    "1e999",
    "0x1F",
    "NaN",
    "Infinity",
    "_:b0",
    "#clinic",
    "../../etc/passwd",
    "%2e%2e/",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), st.sampled_from(TYPES + NASTY)
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def damaged(draw, text: str) -> str:
    """``text`` with a few random insertions and deletions."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=8))) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
    return text


@st.composite
def yaml_texts(draw) -> bytes:
    kind = draw(st.sampled_from(["tree", "tree", "raw", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "raw":
        return "".join(
            draw(st.lists(st.one_of(st.sampled_from(NASTY), st.characters()), max_size=100))
        ).encode("utf-8", "surrogatepass")
    tree = draw(trees)
    if isinstance(tree, dict) and draw(st.booleans()):
        tree.setdefault("type", draw(st.sampled_from(TYPES)))
    try:
        text = yaml.safe_dump(
            tree,
            default_flow_style=draw(st.sampled_from([None, True, False])),
            allow_unicode=draw(st.booleans()),
        )
    except (yaml.YAMLError, ValueError):
        text = repr(tree)
    return draw(damaged(text)).encode("utf-8", "surrogatepass")


@st.composite
def html_pages(draw) -> bytes:
    kind = draw(st.sampled_from(["jsonld", "jsonld", "markup", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "markup":
        body = "".join(
            draw(
                st.lists(
                    st.one_of(
                        st.sampled_from(
                            [
                                "<div ",
                                "itemscope ",
                                "itemtype='https://schema.org/Thing' ",
                                "itemprop='name'",
                                "itemid='x'",
                                "typeof='Thing' ",
                                "property='name' ",
                                "vocab='https://schema.org/' ",
                                "resource='#x' ",
                                ">",
                                "</div>",
                                "<a href='javascript:x'>",
                                "<meta content='4,5' itemprop='ratingValue'>",
                                "<base href='..'>",
                            ]
                            + NASTY
                        ),
                        st.characters(),
                    ),
                    max_size=60,
                )
            )
        )
        return f"<html><head></head><body>{body}</body></html>".encode("utf-8", "surrogatepass")
    document = draw(trees)
    if isinstance(document, dict) and draw(st.booleans()):
        document["@context"] = draw(
            st.sampled_from(
                [
                    "https://schema.org",
                    "http://schema.org/",
                    "https://example.org/ctx",
                    {"@vocab": "http://schema.org/"},
                ]
            )
        )
    text = draw(damaged(json.dumps(document, ensure_ascii=draw(st.booleans()), allow_nan=True)))
    return (
        f'<html><head><link rel="canonical" href="https://clinic.example/a/">'
        f'<script type="application/ld+json">{text}</script></head><body><p>x</p></body></html>'
    ).encode("utf-8", "surrogatepass")


class Counter:
    def __init__(self, name: str = "", every: int = 0):
        self.name, self.every = name, every
        self.tried = self.accepted = self.refused = 0

    def count(self) -> None:
        self.tried += 1
        if self.every and self.tried % self.every == 0:  # a long run shows how far it is
            print(f"{self.name}: {self.tried} tried ({self.refused} refused so far)", flush=True)


def load_yaml_project(data: bytes, folder: Path, vocabulary, counter: Counter) -> None:
    (folder / "content.yaml").write_bytes(data)
    counter.count()
    try:
        load_project(folder, vocabulary)
        counter.accepted += 1
    except ClinicgraphError as error:
        assert error.message.strip(), "an error without a message"
        counter.refused += 1


def import_page(data: bytes, folder: Path, counter: Counter) -> None:
    page = folder / "page.html"
    page.write_bytes(data)
    counter.count()
    try:
        pipeline.import_html([page])
        counter.accepted += 1
    except ClinicgraphError:
        counter.refused += 1


def fuzz(examples: int, seed: int | None = None, only: tuple[str, ...] = ("yaml", "html")) -> dict:
    """Run both targets with ``examples`` each; raises on the first input that escapes."""
    vocabulary = builtin_vocabulary()
    options = dict(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=seed is not None,
        suppress_health_check=list(HealthCheck),
    )
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "clinicgraph.toml").write_text(TOML)
        every = 5000 if examples >= 10000 else 0
        yaml_counter, html_counter = Counter("yaml", every), Counter("html", every)

        @settings(**options)
        @given(yaml_texts())
        def yaml_target(data):
            load_yaml_project(data, folder, vocabulary, yaml_counter)

        @settings(**options)
        @given(html_pages())
        def html_target(data):
            import_page(data, folder, html_counter)

        for name, target, counter in (
            ("yaml", yaml_target, yaml_counter),
            ("html", html_target, html_counter),
        ):
            if name not in only:
                continue
            started = time.perf_counter()
            target()
            results[name] = {
                "tried": counter.tried,
                "accepted": counter.accepted,
                "refused": counter.refused,
                "seconds": round(time.perf_counter() - started, 1),
            }
            print(name, results[name], flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per entry point")
    parser.add_argument("--only", choices=["yaml", "html"], help="one entry point (default: both)")
    args = parser.parse_args()
    results = fuzz(args.examples, only=(args.only,) if args.only else ("yaml", "html"))
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
