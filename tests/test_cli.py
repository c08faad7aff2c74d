"""The command line, run as a user runs it: `python -m clinicgraph ...` in a subprocess."""

import json
import re

import pyoxigraph
import pytest
import rdflib
from conftest import EXAMPLE, run_cli
from rdflib.compare import isomorphic

from clinicgraph import __version__
from clinicgraph.cli import main
from clinicgraph.graph.ids import derived_graph, is_derived_graph, source_graph, source_of_graph

PAGE = "https://westwoodtotalhealth.example/conditions/back-spasms/"
XSD_DOUBLE = rdflib.XSD.double


def by_value(graph: rdflib.Graph) -> rdflib.Graph:
    """Doubles compared by value: Oxigraph keeps numbers by value ("4.7E0" is "4.7")."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == XSD_DOUBLE:
            o = rdflib.Literal(repr(float(o)), datatype=XSD_DOUBLE)
        out.add((s, p, o))
    return out


@pytest.fixture(scope="module")
def whole_graph(example_dir) -> rdflib.Graph:
    result = run_cli("export", example_dir, "--format", "nt")
    assert result.returncode == 0, result.stderr
    return by_value(rdflib.Graph().parse(data=result.stdout, format="nt"))


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout == f"clinicgraph, version {__version__}\n"


def test_python_dash_m_help():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "export" in result.stdout and "Example" in result.stdout


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_help_shows_an_example(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout and f"clinicgraph {command} " in result.stdout


def test_build_prints_a_one_line_summary(example_dir, tmp_path, whole_graph):
    result = run_cli("build", example_dir, "-o", tmp_path / "dist")
    assert result.returncode == 0 and result.stderr == ""
    match = re.fullmatch(
        r"built (\d+) pages?, (\d+) nodes, (\d+) triples in (\d+\.\d+) s -> (.+)\n", result.stdout
    )
    assert match, result.stdout
    pages, nodes, triples = (int(match.group(i)) for i in (1, 2, 3))
    assert pages == 1 == len(list((tmp_path / "dist" / "jsonld").rglob("*.jsonld")))
    assert triples == len(whole_graph)
    assert nodes == len(set(whole_graph.subjects()))


def test_export_to_stdout_or_a_file(example_dir, tmp_path):
    stdout = run_cli("export", example_dir, "--format", "turtle")
    to_file = run_cli("export", example_dir, "--format", "turtle", "-o", tmp_path / "graph.ttl")
    assert stdout.returncode == to_file.returncode == 0
    assert to_file.stdout == ""
    assert (tmp_path / "graph.ttl").read_text("utf-8") == stdout.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.parametrize(
    "args, words",
    [
        (("--page", "https://westwoodtotalhealth.example/nope/"), "no page has the url"),
        (("--schemaorg", "missing-release.ttl"), "schema.org release not found"),
    ],
    ids=["unknown-page", "bad-option"],
)
def test_a_failing_export_leaves_the_file_untouched(example_dir, tmp_path, args, words):
    target = tmp_path / "graph.ttl"
    target.write_text("earlier export\n")
    result = run_cli("export", example_dir, "-o", target, *args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and words in result.stderr
    assert target.read_text() == "earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.parametrize(
    "args, env, shown",
    [
        (("validate",), {}, False),
        (("validate",), {"CLINICGRAPH_DEBUG": "0"}, False),
        (("--debug", "validate"), {}, True),
        (("validate",), {"CLINICGRAPH_DEBUG": "1"}, True),
    ],
    ids=["plain", "debug-off", "--debug", "CLINICGRAPH_DEBUG"],
)
def test_debug_shows_the_traceback_behind_the_one_line(tmp_path, args, env, shown):
    import os

    result = run_cli(*args, tmp_path / "nowhere", env={**os.environ, "CLINICGRAPH_DEBUG": "", **env})
    line = (
        f"{tmp_path / 'nowhere'}: no such folder: give the project folder, the one holding clinicgraph.toml"
    )
    assert result.returncode == 2 and result.stderr.splitlines()[-1] == line
    assert ("Traceback (most recent call last):" in result.stderr) == shown
    assert ("SourceError" in result.stderr) == shown and (len(result.stderr.splitlines()) == 1) != shown


def test_export_into_a_missing_folder_is_one_line(example_dir, tmp_path):
    result = run_cli("export", example_dir, "-o", tmp_path / "no" / "such" / "graph.ttl")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_page_with_and_without_trailing_slash(example_dir):
    with_slash = run_cli("export", example_dir, "--page", PAGE)
    without = run_cli("export", example_dir, "--page", PAGE.rstrip("/"))
    assert with_slash.returncode == without.returncode == 0
    assert with_slash.stdout == without.stdout
    assert '"MedicalWebPage"' in with_slash.stdout


def test_an_unknown_page_is_one_clear_line(example_dir):
    result = run_cli("export", example_dir, "--page", "https://westwoodtotalhealth.example/nope/")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"clinicgraph: no page has the url https://westwoodtotalhealth.example/nope/ (pages: {PAGE})\n"
    )


def parsed(fmt: str, data: str, expand_official) -> rdflib.Graph:
    if fmt == "jsonld":
        return expand_official(json.loads(data))
    if fmt == "nquads":  # pyoxigraph reads the quads; their triples, as N-Triples, go to rdflib
        quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))
        graphs = {quad.graph_name.value for quad in quads}
        sources = {source_of_graph(graph) for graph in graphs if not is_derived_graph(graph)}
        assert all(source and (EXAMPLE / source).is_file() for source in sources), sources
        assert graphs - {source_graph(source) for source in sources} == {
            derived_graph(step) for step in ("wiring", "breadcrumbs")
        }
        triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
        return rdflib.Graph().parse(
            data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt"
        )
    return rdflib.Graph().parse(data=data, format={"turtle": "turtle", "nt": "nt", "xml": "xml"}[fmt])


@pytest.mark.parametrize("fmt", ["jsonld", "turtle", "nt", "nquads", "xml"])
def test_every_format_parses_back_into_the_graph(example_dir, fmt, whole_graph, expand_official):
    result = run_cli("export", example_dir, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert isomorphic(by_value(parsed(fmt, result.stdout, expand_official)), whole_graph)

    page = run_cli("export", example_dir, "--format", fmt, "--page", PAGE)
    assert page.returncode == 0, page.stderr
    share = by_value(parsed(fmt, page.stdout, expand_official))
    assert 0 < len(share) <= len(whole_graph)
    assert set(share) <= set(whole_graph)  # the example has no blank nodes
