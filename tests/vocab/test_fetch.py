"""vocab fetch: a release file or URL lands whole in the user cache, or nothing changes.

URLs are served by a real HTTP server on 127.0.0.1 in a thread; no test leaves the machine.
"""

import http.server
import socket
import threading
import time

import pytest

from clinicgraph.core.errors import SourceError
from clinicgraph.vocab import fetch
from clinicgraph.vocab.fetch import CURRENT_URL, MAX_BYTES, fetch_release
from clinicgraph.vocab.locate import ENV_VAR, cache_dir, find_release

TTL = "schemaorg-current-https.ttl"
JSONLD = "schemaorg-current-https.jsonld"
PREFIXES = (
    b"@prefix schema: <https://schema.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)
NOT_A_RELEASE = PREFIXES + b"<https://clinic.example/#clinic> a schema:MedicalClinic .\n"
SOME_CLASSES = PREFIXES + b"schema:MedicalClinic a rdfs:Class .\n"  # a vocabulary, not schema.org's


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """A cache of the test's own, and no release from the developer's environment."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def snapshot(folder):
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cached_release(schemaorg_dir):
    """A cache that already holds a release, to show a failed fetch leaves it alone."""
    stored = fetch_release(schemaorg_dir / TTL)
    return snapshot(stored.parent)


# -- from a file


def test_file_lands_in_cache_and_is_found(schemaorg_dir):
    stored = fetch_release(str(schemaorg_dir / TTL))
    assert stored == cache_dir() / TTL
    assert stored.read_bytes() == (schemaorg_dir / TTL).read_bytes()
    assert find_release() == stored
    assert [p.name for p in cache_dir().iterdir()] == [TTL]  # no temporary file left


def test_fetching_again_replaces_the_release(schemaorg_dir):
    fetch_release(schemaorg_dir / TTL)
    stored = fetch_release(schemaorg_dir / JSONLD)
    # One release in the cache: the older Turtle file would otherwise win in find_release.
    assert stored == cache_dir() / JSONLD
    assert find_release() == stored
    assert sorted(p.name for p in cache_dir().iterdir()) == [JSONLD]


def test_file_under_another_name_gets_the_release_name(schemaorg_dir, tmp_path):
    mine = tmp_path / "schema-30.0.ttl"
    mine.write_bytes((schemaorg_dir / TTL).read_bytes())
    assert fetch_release(mine) == cache_dir() / TTL


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("clinic.ttl", NOT_A_RELEASE, "not a schema.org release"),
        ("own-classes.ttl", SOME_CLASSES, "does not define schema:Thing"),
        ("broken.ttl", PREFIXES + b"this is not turtle", "invalid schema.org release"),
        ("notes.txt", b"hello", r"must be Turtle \(\.ttl\) or JSON-LD \(\.jsonld\)"),
    ],
)
def test_non_release_file_is_refused_and_cache_untouched(tmp_path, cached_release, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        fetch_release(bad)
    assert info.value.path == str(bad)  # the message names the user's file
    assert snapshot(cache_dir()) == cached_release


def test_non_release_into_empty_cache_writes_nothing(tmp_path):
    bad = tmp_path / "clinic.ttl"
    bad.write_bytes(NOT_A_RELEASE)
    with pytest.raises(SourceError):
        fetch_release(bad)
    assert not cache_dir().exists()
    assert find_release() is None


def test_missing_file(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        fetch_release(tmp_path / "nowhere.ttl")


def test_unwritable_cache_is_one_clear_error(schemaorg_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(SourceError, match="cannot create the cache folder"):
        fetch_release(schemaorg_dir / TTL)


# -- from a URL


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}  # path -> (status, headers, body); set per test

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        if status == "slow":
            time.sleep(2)
            status = 200
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers and headers.get("X-No-Length") is None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # keep test output clean


@pytest.fixture
def server(monkeypatch):
    """A local HTTP server; ``serve(path, status, headers, body)`` adds a route, returns its URL."""
    monkeypatch.setattr(Handler, "routes", {})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"

    def serve(path, body=b"", status=200, headers=None):
        Handler.routes[path] = (status, headers or {}, body)
        return base + path

    yield serve
    httpd.shutdown()
    httpd.server_close()


def test_url_is_downloaded_into_cache(server, schemaorg_dir):
    body = (schemaorg_dir / TTL).read_bytes()
    url = server("/version/30.0/" + TTL, body, headers={"Content-Type": "text/turtle"})
    stored = fetch_release(url)
    assert stored == cache_dir() / TTL
    assert stored.read_bytes() == body
    assert find_release() == stored
    assert [p.name for p in cache_dir().iterdir()] == [TTL]


def test_url_without_file_name_uses_media_type(server, schemaorg_dir):
    body = (schemaorg_dir / JSONLD).read_bytes()
    url = server("/latest/", body, headers={"Content-Type": "application/ld+json; charset=utf-8"})
    assert fetch_release(url) == cache_dir() / JSONLD


def test_default_is_the_current_release(server, schemaorg_dir, monkeypatch):
    assert CURRENT_URL == "https://schema.org/version/latest/schemaorg-current-https.ttl"
    monkeypatch.setattr(fetch, "CURRENT_URL", server("/" + TTL, (schemaorg_dir / TTL).read_bytes()))
    assert fetch_release() == cache_dir() / TTL


def test_http_404_is_a_clear_error(server, cached_release):
    url = server("/missing.ttl", b"no", status=404)
    with pytest.raises(SourceError, match="download failed: HTTP 404") as info:
        fetch_release(url)
    assert info.value.path == url
    assert snapshot(cache_dir()) == cached_release


def test_downloaded_non_release_is_refused(server, cached_release):
    url = server("/clinic.ttl", NOT_A_RELEASE)
    with pytest.raises(SourceError, match="not a schema.org release") as info:
        fetch_release(url)
    assert info.value.path == url  # not the temporary file's name
    assert snapshot(cache_dir()) == cached_release


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "no-length"])
def test_oversized_body_is_refused(server, cached_release, announced):
    headers = {} if announced else {"X-No-Length": "1"}  # HTTP/1.0: the body ends at close
    url = server("/huge.ttl", b"#" * 5000, headers=headers)
    with pytest.raises(SourceError, match="larger than 4,096 bytes"):
        fetch_release(url, max_bytes=4096)
    assert snapshot(cache_dir()) == cached_release


def test_size_limit_is_50_mb():
    assert MAX_BYTES == 50 * 1024 * 1024


def test_unreachable_server():
    with socket.socket() as sock:  # a port that is bound but never listens: refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(SourceError, match="cannot reach 127.0.0.1"):
            fetch_release(f"http://127.0.0.1:{port}/{TTL}")


def test_timeout(server):
    url = server("/slow.ttl", b"", status="slow")
    with pytest.raises(SourceError, match="timed out after 0.3 s"):
        fetch_release(url, timeout=0.3)


def test_other_schemes_are_refused():
    with pytest.raises(SourceError, match="only http and https"):
        fetch_release("ftp://example.org/schemaorg-current-https.ttl")
