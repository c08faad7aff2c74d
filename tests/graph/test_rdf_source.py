"""Turtle, N-Triples and JSON-LD files, merged as they are, offline."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import SITE, run_cli, write_project
from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.graph.config import Site
from clinicgraph.graph.rdf_source import load_rdf

S = "http://schema.org/"


def load_text(folder, relpath: str, text: str):
    path = folder / relpath
    path.write_text(text, encoding="utf-8")
    return load_rdf(path, relpath, Site(SITE))


def triples(loaded) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in loaded.quads}


TURTLE_SITE = """@prefix schema: <https://schema.org/> .
<#clinic> a schema:MedicalClinic ; schema:name "Clinic" ;
  schema:address [ a schema:PostalAddress ; schema:addressLocality "Coquitlam" ] .
<conditions/x/#webpage> a schema:MedicalWebPage ; schema:url <conditions/x/> ;
  schema:about <conditions/x/#condition> ; schema:publisher <#clinic> .
<conditions/x/#condition> a schema:MedicalCondition ; schema:name "Back spasms" .
<https://elsewhere.example/x/> a schema:WebPage ; schema:url <https://elsewhere.example/x/> .
"""


@pytest.mark.parametrize(
    "relpath, text",
    [
        (
            "a.ttl",
            "@prefix s: <https://schema.org/> .\n<#c> a s:MedicalClinic ; s:medicalSpecialty s:Chiropractic .\n",
        ),
        (
            "a.nt",
            f"<{SITE}#c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/MedicalClinic> .\n"
            f"<{SITE}#c> <https://schema.org/medicalSpecialty> <https://schema.org/Chiropractic> .\n",
        ),
        (
            "a.jsonld",
            json.dumps(
                {
                    "@context": {"@vocab": "https://schema.org/"},
                    "@id": "#c",
                    "@type": "MedicalClinic",
                    "medicalSpecialty": {"@id": "https://schema.org/Chiropractic"},
                }
            ),
        ),
    ],
    ids=["turtle", "n-triples", "json-ld"],
)
def test_https_schema_org_becomes_http(tmp_path, relpath, text):
    assert triples(load_text(tmp_path, relpath, text)) == {
        (
            NamedNode(SITE + "#c"),
            NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            NamedNode(S + "MedicalClinic"),
        ),
        (NamedNode(SITE + "#c"), NamedNode(S + "medicalSpecialty"), NamedNode(S + "Chiropractic")),
    }


def test_jsonld_with_the_schema_org_context_loads(tmp_path):
    loaded = load_text(
        tmp_path,
        "a.jsonld",
        json.dumps(
            {
                "@context": "https://schema.org",
                "@id": "#rating",
                "@type": "AggregateRating",
                "ratingValue": 4.7,
                "reviewCount": 628,
                "url": "reviews/",
            }
        ),
    )
    rating = NamedNode(SITE + "#rating")
    assert (
        rating,
        NamedNode(S + "ratingValue"),
        Literal("4.7E0", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#double")),
    ) in triples(loaded)
    assert (rating, NamedNode(S + "url"), NamedNode(SITE + "reviews/")) in triples(loaded)


@pytest.mark.parametrize("context", ["http://www.schema.org", "http://health-lifesci.schema.org/"])
def test_jsonld_naming_schema_org_by_another_of_its_hosts_loads(tmp_path, context):
    """As schema.org's own examples write it (eg-0229: a HealthInsurancePlan)."""
    loaded = load_text(
        tmp_path,
        "a.jsonld",
        json.dumps(
            {
                "@context": context,
                "@id": "#plan",
                "@type": "HealthInsurancePlan",
                "healthPlanId": "12345XX9876543",
            }
        ),
    )
    assert triples(loaded) == {
        (
            NamedNode(SITE + "#plan"),
            NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            NamedNode(S + "HealthInsurancePlan"),
        ),
        (NamedNode(SITE + "#plan"), NamedNode(S + "healthPlanId"), Literal("12345XX9876543")),
    }


def test_blank_nodes_are_stable_and_kept_apart_per_file(tmp_path):
    text = '_:a <http://schema.org/name> "A" .\n_:b <http://schema.org/name> "B" .\n'
    first, again, other = (
        load_text(tmp_path, "a.ttl", text),
        load_text(tmp_path, "a.ttl", text),
        load_text(tmp_path, "b.ttl", text),
    )
    assert first.quads == again.quads
    blanks = {q.subject for q in first.quads} | {q.subject for q in other.quads}
    assert len(blanks) == 4 and all(isinstance(b, BlankNode) for b in blanks)


def test_a_folder_of_turtle_alone_builds(tmp_path, expand_official):
    write_project(tmp_path / "site", {"site.ttl": TURTLE_SITE})
    builds = []
    for out in ("one", "two"):
        result = run_cli("build", tmp_path / "site", "-o", tmp_path / out)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("built 1 page,")
        builds.append(
            {
                p.relative_to(tmp_path / out).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / out).rglob("*"))
                if p.is_file() and p.name != ".clinicgraph-build"
            }
        )  # the marker holds a build id
    assert builds[0] == builds[1]
    assert [name for name in builds[0] if name.startswith("jsonld/")] == ["jsonld/conditions/x.jsonld"]

    document = json.loads(builds[0]["jsonld/conditions/x.jsonld"])
    text = json.dumps(document)
    assert "elsewhere.example" not in text and "_:" not in text  # blank nodes embedded, unnamed
    graph = expand_official(document)
    assert any(str(o) == "Coquitlam" for o in graph.objects())


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def _record(self):
        self.hits.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_POST = do_CONNECT = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A local HTTP server that records every request; also used as the proxy for all URLs."""
    _Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {**os.environ, "NO_PROXY": "", "no_proxy": ""}
    env.update(
        {name: url for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")}
    )
    yield url, env, _Recorder.hits
    server.shutdown()
    server.server_close()


def test_jsonld_loads_offline(tmp_path, listener):
    _, env, hits = listener
    write_project(
        tmp_path / "site",
        {
            "a.jsonld": json.dumps(
                {
                    "@context": "https://schema.org",
                    "@id": "#clinic",
                    "@type": "MedicalClinic",
                    "name": "Clinic",
                }
            )
        },
    )
    result = run_cli("export", tmp_path / "site", "--format", "nt", env=env)
    assert result.returncode == 0, result.stderr
    assert f'<{SITE}#clinic> <{S}name> "Clinic" .' in result.stdout
    assert hits == []


def test_a_remote_context_is_refused_without_fetching_it(tmp_path, listener):
    url, env, hits = listener
    write_project(
        tmp_path / "site",
        {
            "a.jsonld": json.dumps(
                {"@context": f"{url}/context.jsonld", "@id": "#clinic", "name": "Clinic"}, indent=2
            )
        },
    )
    result = run_cli("build", tmp_path / "site", "-o", tmp_path / "out", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr == f"{tmp_path / 'site' / 'a.jsonld'}:2: remote context {url}/context.jsonld refused: "
        "only schema.org's context is available offline (put the context inline, or allow it: [limits] allow-contexts)\n"
    )
    assert hits == []
    assert not (tmp_path / "out").exists()
