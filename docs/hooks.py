"""MkDocs hook: pages that are generated from the code, so they cannot drift from it.

A page holds a marker comment where the generated part goes:

- `<!-- generated: commands -->`: every command's `--help`, as click prints it;
- `<!-- generated: source-formats -->`: the source formats, from their registry
  (`clinicgraph.graph.source_formats`), each with its suffixes;
- `<!-- generated: rules FAMILY -->`: the rules of one family (`google`, `health` ...), from
  the one list of every rule (`clinicgraph.checks.catalogue`, which `clinicgraph rules`
  prints): a table per family, the Google family's split by search feature;
- `<!-- include: FILE -->`: a file of the repository's root (CHANGELOG.md and
  CONTRIBUTING.md stay where people look for them, and appear in the site too).
"""

from __future__ import annotations

import re
from pathlib import Path

import click

GENERATED = re.compile(r"<!-- generated: ([\w-]+)(?: ([\w-]+))? -->")
INCLUDE = re.compile(r"<!-- include: ([\w.-]+) -->")
ROOT = Path(__file__).resolve().parents[1]


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = INCLUDE.sub(lambda match: (ROOT / match[1]).read_text("utf-8"), markdown)
    return GENERATED.sub(lambda match: MAKERS[match[1]](*filter(None, [match[2]])), markdown)


def commands() -> str:
    from clinicgraph.cli import main

    sections = []
    for path, command in _commands(main, ["clinicgraph"]):
        with click.Context(command, info_name=" ".join(path)) as context:
            sections.append(f"### {' '.join(path)}\n\n```text\n{command.get_help(context)}\n```\n")
    return "\n".join(sections)


def _commands(group: click.Group, path: list[str]):
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from _commands(command, [*path, name])
        else:
            yield [*path, name], command


def source_formats() -> str:
    from clinicgraph.graph.source_formats import SOURCE_FORMATS

    rows = ["| format | files | what |", "| --- | --- | --- |"]
    for known in SOURCE_FORMATS:
        rows.append(
            f"| {known.name} | {', '.join(f'`{suffix}`' for suffix in known.suffixes)} | "
            f"{_cell(known.description)} |"
        )
    return "\n".join(rows) + "\n"


def rules(family: str) -> str:
    from clinicgraph.checks.catalogue import FAMILIES, as_markdown, catalogue

    if family not in FAMILIES:
        raise ValueError(f"no rule family {family!r} (known: {', '.join(FAMILIES)})")
    return as_markdown([entry for entry in catalogue() if entry.family == family])


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


MAKERS = {
    "commands": commands,
    "source-formats": source_formats,
    "rules": rules,
}
