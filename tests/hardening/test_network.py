"""No network unless asked.

Every command runs in a child Python whose audit hook (a sitecustomize) records and
refuses each socket connect and name lookup, so an attempt is seen even when the code
that made it swallows the error (pyld's default loader, rdflib's context fetching and
extruct's RDFa vocabulary expansion are the usual culprits). A remote JSON-LD
``@context`` is fetched only when the user lists it: ``[limits] allow-contexts`` in
clinicgraph.toml, or ``import --allow-context URL``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "back-spasms"
HOOK = """
import os, sys

def _refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto"):
        with open(os.environ["NO_NETWORK_LOG"], "a") as log:
            log.write(f"{event} {args[1:] if event == 'socket.connect' else args}\\n")
        raise OSError(f"no network in this test: {event}")

sys.addaudithook(_refuse)
"""
REMOTE_PAGE = """<html vocab="https://vocab.example/" prefix="ex: https://vocab.example/ns#"><head>
<script type="application/ld+json">{"@context": "https://example.org/context.jsonld", "name": "x"}</script>
<script type="application/ld+json">{"@context": ["https://schema.org", {"@import": "https://example.org/c.jsonld"}]}</script>
</head><body><div typeof="Thing" property="name">A</div>
<div itemscope itemtype="https://vocab.example/Thing"><span itemprop="name">Z</span></div></body></html>"""


@pytest.fixture
def offline(tmp_path):
    """run(*args) -> the CLI in a child that may not open a socket; ``log`` lists attempts."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK)
    log = tmp_path / "attempts.log"
    log.touch()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]),
        "NO_NETWORK_LOG": str(log),
    }

    def run(*args, code: str | None = None):
        command = (
            [sys.executable, "-c", code] if code else [sys.executable, "-m", "clinicgraph", *map(str, args)]
        )
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    run.log = log
    return run


def test_the_hook_sees_an_attempt(offline):
    result = offline(
        code="import socket\ntry:\n socket.socket().connect(('127.0.0.1', 9))\n"
        "except OSError as e:\n print(e)"
    )
    assert "no network in this test" in result.stdout
    assert "socket.connect" in offline.log.read_text()


def test_build_validate_export_embed_import_and_audit_never_connect(offline, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    (project / "content" / "remote.jsonld").write_text(
        json.dumps({"@context": "https://example.org/context.jsonld", "name": "x"})
    )
    refused = offline("build", project, "-o", "dist")
    assert (
        refused.returncode == 2
        and "remote context https://example.org/context.jsonld refused" in refused.stderr
    )
    (project / "content" / "remote.jsonld").unlink()
    (project / "site" / "remote.html").write_text(REMOTE_PAGE)

    steps = [
        ("build", project, "-o", "dist"),
        ("validate", project),
        ("export", project, "--format", "jsonld"),
        ("export", project, "--format", "turtle"),
        ("embed", project / "site", "--source", project),
        ("import", project / "site", "-o", "imported.ttl"),
        ("audit", project / "site", "--source", project),
    ]
    for step in steps:
        result = offline(*step)
        assert "Traceback" not in result.stderr and result.returncode in (0, 1), (step, result.stderr)
    assert (tmp_path / "dist" / ".clinicgraph-build").exists() and (tmp_path / "imported.ttl").exists()
    assert offline.log.read_text() == ""


# -- a remote context the user allowed --------------------------------------------------------

CONTEXT = {"@context": {"@vocab": "http://schema.org/", "title": "http://schema.org/name"}}


class _ContextServer(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        body = json.dumps(CONTEXT).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def context_url():
    _ContextServer.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ContextServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", _ContextServer.hits
    server.shutdown()
    server.server_close()


def _project(folder: Path, context: str, allow: bool) -> Path:
    folder.mkdir()
    limits = f'\n[limits]\nallow-contexts = ["{context}"]\n' if allow else ""
    (folder / "clinicgraph.toml").write_text(f'[site]\nurl = "https://clinic.example/"\n{limits}')
    (folder / "data.jsonld").write_text(
        json.dumps(
            {"@context": context, "@id": "#c", "@type": "MedicalCondition", "title": "Back spasms"}, indent=1
        )
    )
    return folder


def test_a_remote_context_is_fetched_only_when_allowed(context_url, tmp_path, cli):
    url, hits = context_url
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    refused = cli("export", _project(tmp_path / "refused", url, allow=False), "--format", "nt", env=env)
    assert refused.returncode == 2 and hits == []
    assert refused.stderr == (
        f"{tmp_path}/refused/data.jsonld:2: remote context {url} refused: only schema.org's "
        "context is available offline (put the context inline, or allow it: [limits] "
        "allow-contexts)\n"
    )

    allowed = cli("export", _project(tmp_path / "allowed", url, allow=True), "--format", "nt", env=env)
    assert allowed.returncode == 0, allowed.stderr
    assert '<https://clinic.example/#c> <http://schema.org/name> "Back spasms" .' in allowed.stdout
    assert hits == ["/context.jsonld"]


def test_an_allowed_context_is_fetched_once_though_the_file_is_read_again_for_its_lines(
    context_url, tmp_path, cli
):
    """A finding's line in a JSON-LD file is found by reading the file again: with the
    context fetched at load time, not a second time."""
    url, hits = context_url
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    found = cli("validate", _project(tmp_path / "allowed", url, allow=True), "--format", "plain", env=env)
    assert found.returncode == 0, found.stderr
    assert any(
        line.startswith(f"{tmp_path}/allowed/data.jsonld:1: warning:") for line in found.stdout.splitlines()
    )
    assert hits == ["/context.jsonld"]


def test_import_fetches_a_context_only_with_allow_context(context_url, tmp_path, cli):
    url, hits = context_url
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><script type="application/ld+json">{{"@context": "{url}", "@id": '
        '"https://clinic.example/#c", "title": "Back spasms"}</script></head></html>'
    )
    refused = cli("import", page, env=env)
    assert "JSON-LD block not read: refusing to fetch" in refused.stderr and hits == []
    allowed = cli("import", page, "--allow-context", url, env=env)
    assert allowed.returncode == 0 and '"Back spasms"' in allowed.stdout and hits == ["/context.jsonld"]
