"""Shared fixtures."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

# The repository sits beside shared/ (here and in CI), never at a fixed place.
SCHEMAORG_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "schemaorg"


@pytest.fixture(scope="session")
def schemaorg_dir() -> Path:
    """The folder holding the schema.org release files (``<repo>/../shared/schemaorg``)."""
    if not (SCHEMAORG_DIR / "schemaorg-current-https.ttl").is_file():
        pytest.fail(f"schema.org release files missing: expected them in {SCHEMAORG_DIR}")
    return SCHEMAORG_DIR


# --- fixtures for the JSON-LD contract and the command line -------------------------

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "back-spasms"
SCHEMA_CONTEXT_URLS = {
    f"{scheme}://schema.org{path}"
    for scheme in ("http", "https")
    for path in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
}


@pytest.fixture(scope="session")
def official_loader(schemaorg_dir):
    """A pyld document loader serving the official schema.org context file, offline.

    Written here, not taken from clinicgraph, so the contract is checked independently.
    """
    context = json.loads((schemaorg_dir / "schemaorgcontext.jsonld").read_text("utf-8"))

    def load(url, options=None):
        if url not in SCHEMA_CONTEXT_URLS:
            raise RuntimeError(f"test loader refuses {url}")
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return load


@pytest.fixture(scope="session")
def expand_official(official_loader):
    """JSON-LD document -> rdflib Graph, expanded with the official context by pyld."""
    from pyld import jsonld

    def expand(document) -> rdflib.Graph:
        nquads = jsonld.to_rdf(document, {"documentLoader": official_loader, "format": "application/n-quads"})
        return ntriples_graph(in_oxigraph(nquads))

    return expand


def in_oxigraph(nquads: str) -> bytes:
    """Triples as an Oxigraph store holds them: it keeps numbers by value ("4.7E0" and
    "4.7" are one xsd:double there), so the comparison is the store's, not ours."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    return store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())


def ntriples_graph(data: bytes | str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data, format="nt")


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


def run_cli(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run ``python -m clinicgraph`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "clinicgraph", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="session")
def cli():
    return run_cli


# --- fixtures for the graph room and the command line: small projects in tmp_path ---
SITE = "https://clinic.example/"
SITE_TOML = f'[site]\nurl = "{SITE}"\nname = "Clinic"\nlanguage = "en-CA"\n'


def write_project(folder: Path, files: dict, toml: str | None = SITE_TOML) -> Path:
    """A project folder: ``clinicgraph.toml`` (unless None) and ``files`` (relpath -> str or bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        (folder / "clinicgraph.toml").write_text(toml, encoding="utf-8")
    for relpath, content in files.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def make_project(tmp_path):
    """make_project(files, toml=SITE_TOML, name="site") -> the project folder in tmp_path."""

    def make(files: dict, toml: str | None = SITE_TOML, name: str = "site") -> Path:
        return write_project(tmp_path / name, files, toml)

    return make


@pytest.fixture
def load(make_project):
    """load(files, toml=SITE_TOML, derive=True) -> a loaded clinicgraph Project (in memory)."""
    from clinicgraph import pipeline

    def load_files(files: dict, toml: str | None = SITE_TOML, derive: bool = True):
        return pipeline.open_project(make_project(files, toml), derive=derive)

    return load_files


# --- real SPARQL 1.1 servers for tests/sparql/test_remote*.py and test_push*.py --------
def _servers():
    """tests/sparql/servers.py, which starts them (imported there as `servers`)."""
    folder = str(Path(__file__).parent / "sparql")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import servers

    return servers


def _server(start, program: str, install: str, folder: Path):
    servers = _servers()
    if servers.binary(program) is None:
        pytest.skip(f"{program} is not installed ({install}; .ci/run installs it)")
    server = getattr(servers, start)(folder)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Oxigraph server on a free 127.0.0.1 port, its union default graph on."""
    yield from _server(
        "start_oxigraph", "oxigraph", "pip install oxigraph", tmp_path_factory.mktemp("oxigraph")
    )


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """OpenLink Virtuoso on a fresh database and free 127.0.0.1 ports; digest auth dba/dba."""
    yield from _server(
        "start_virtuoso",
        "virtuoso-t",
        "apt-get install virtuoso-opensource",
        tmp_path_factory.mktemp("virtuoso"),
    )


@pytest.fixture(params=["oxigraph", "virtuoso"])
def sparql_server(request):
    """Each real server in turn."""
    return request.getfixturevalue(f"{request.param}_server")


# --- the fast loop --------------------------------------------------------------------
# `python -m pytest -m "not slow" -n 2` leaves out the end-to-end trials below (the build
# matrix, kill and disk trials, real servers and the browser, pySHACL's cross-checks, the
# CLI run on every bad input, the public corpora); `.ci/run` and a plain
# `python -m pytest` run them all.
SLOW_FOLDERS = ("corpora/",)
SLOW_FILES = {
    "exporters/test_incremental_build.py",
    "exporters/test_parallel_build.py",
    "faults/test_kill.py",
    "faults/test_concurrent.py",
    "faults/test_disk.py",
    "browser/test_browser.py",
    "checks/test_shacl_pyshacl.py",
    "hardening/test_corpus.py",
    "hardening/test_network.py",
    "sparql/test_serve.py",
    "sparql/test_serve_load.py",
    "sparql/test_push.py",
    "sparql/test_remote.py",
}


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).parent
    for item in items:
        relative = item.path.relative_to(tests).as_posix()
        if relative in SLOW_FILES or relative.startswith(SLOW_FOLDERS):
            item.add_marker(pytest.mark.slow)
