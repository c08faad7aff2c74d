"""Who may import whom, read from every module's imports (the rooms of docs/architecture.md).

From the bottom: ``core`` imports none of ours; ``vocab`` imports ``core``; ``site`` (HTML
files, no store) imports ``vocab`` and ``core``; ``graph`` imports those; ``derive`` imports
``graph`` and below; ``checks``, ``exporters`` and ``sparql`` import the rooms below them
but not each other; ``pipeline.py`` and ``cli/`` may use everything and nothing imports
them. An import anywhere in a module counts (one inside a function too), since it ties
the rooms together all the same. If a room needs something of a sibling, that thing
belongs lower down.
"""

import ast
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "clinicgraph"
BELOW = {"core": set(), "vocab": {"core"}, "site": {"vocab", "core"}}
BELOW["graph"] = {"site", *BELOW["site"]}
BELOW["derive"] = {"graph", *BELOW["graph"]}
BELOW.update({room: {"derive", *BELOW["derive"]} for room in ("checks", "exporters", "sparql")})
BELOW["__init__"] = set()  # the package's version, which any module may read
TOP = {"pipeline", "cli", "__main__"}  # they use every room; __main__ runs the cli
ROOMS = set(BELOW) | TOP


def room_of(relative: Path) -> str:
    """``relative`` is the module's path under the package."""
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported(relative: Path, text: str) -> list[tuple[int, str]]:
    """(line, room) for each import of ours in the module."""
    package = relative.parts[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the module's package
                base = ["clinicgraph", *package[: len(package) + 1 - node.level]]
                names = [".".join(base + ([node.module] if node.module else []))]
            else:
                names = [node.module or ""]
            if names == ["clinicgraph"]:  # from clinicgraph import pipeline (a module), __version__ (not)
                names = [f"clinicgraph.{alias.name}" for alias in node.names if alias.name in ROOMS]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name.split(".")[1]) for name in names if name.startswith("clinicgraph.")]
    return sorted(found)


def crossings(relative: Path, text: str) -> list[str]:
    room = room_of(relative)
    allowed = ROOMS - TOP if room in TOP else BELOW[room]
    return [
        f"clinicgraph/{relative.as_posix()}:{line}: {room} imports {target}"
        for line, target in imported(relative, text)
        if target != room and not (target in allowed or (room in TOP and target in TOP - {"__main__"}))
    ]


MODULES = sorted(path.relative_to(PACKAGE) for path in PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_room():
    assert {room_of(relative) for relative in MODULES} <= ROOMS


@pytest.mark.parametrize("relative", MODULES, ids=lambda relative: relative.as_posix())
def test_imports_follow_the_layering(relative):
    assert crossings(relative, (PACKAGE / relative).read_text("utf-8")) == []


def test_a_crossing_is_found():
    """The reader itself: a sibling import, a relative one, one inside a function, the top."""
    text = (
        "from clinicgraph.graph.store import Store\n"
        "from ..exporters import jsonld\n"
        "def later():\n    import clinicgraph.sparql.local\n"
        "from clinicgraph.pipeline import build\n"
    )
    assert crossings(Path("checks/example.py"), text) == [
        "clinicgraph/checks/example.py:2: checks imports exporters",
        "clinicgraph/checks/example.py:4: checks imports sparql",
        "clinicgraph/checks/example.py:5: checks imports pipeline",
    ]
    assert crossings(Path("site/example.py"), "from clinicgraph.graph import pages\n") == [
        "clinicgraph/site/example.py:1: site imports graph"
    ]
    assert crossings(
        Path("graph/example.py"), "from clinicgraph import cli\nfrom clinicgraph import __version__\n"
    ) == ["clinicgraph/graph/example.py:1: graph imports cli"]
    assert (
        crossings(Path("cli.py"), "from clinicgraph import pipeline\nimport clinicgraph.sparql.local\n") == []
    )
