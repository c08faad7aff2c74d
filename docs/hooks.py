"""MkDocs hook: pages that are generated from the code, so they cannot drift from it.

A page holds a marker comment where the generated part goes:

- `<!-- generated: commands -->`: every command's `--help`, as click prints it;
- `<!-- generated: source-formats -->`: the source formats, from their registry
  (`clinicgraph.graph.source_formats`), each with its suffixes;
- `<!-- generated: python-rules -->`: the rules written in Python, from their registry
  (`clinicgraph.checks.registry`), each with its id, severity, description and citation;
- `<!-- generated: shape-rules -->`: the rules written as SHACL shapes in
  `clinicgraph/checks/shapes/`, each with its id, severity, message, hint and citation;
- `<!-- include: FILE -->`: a file of the repository's root (CHANGELOG.md and
  CONTRIBUTING.md stay where people look for them, and appear in the site too).
"""

from __future__ import annotations

import re
from pathlib import Path

import click

GENERATED = re.compile(r"<!-- generated: ([\w-]+) -->")
INCLUDE = re.compile(r"<!-- include: ([\w.-]+) -->")
ROOT = Path(__file__).resolve().parents[1]


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = INCLUDE.sub(lambda match: (ROOT / match[1]).read_text("utf-8"), markdown)
    return GENERATED.sub(lambda match: MAKERS[match[1]](), markdown)


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


def python_rules() -> str:
    from clinicgraph.checks.registry import python_rules

    rows = ["| rule | severity | what |", "| --- | --- | --- |"]
    for rule in python_rules():
        rows.append(f"| `{rule.id}` | {rule.severity} | {_cell(rule.description)}{_cited(rule.cites)} |")
    return "\n".join(rows) + "\n"


def shape_rules() -> str:
    from clinicgraph.checks.shacl import default_shape_files, load_shapes

    rows = ["| rule | severity | on | what it says | how to fix |", "| --- | --- | --- | --- | --- |"]
    for rule in sorted(load_shapes(default_shape_files()).rules, key=lambda rule: rule.id):
        if not rule.deactivated:
            rows.append(
                f"| `{rule.id}` | {rule.severity} | {_on(rule)} | {_cell(rule.message)}{_cited(rule.cites)} | "
                f"{_cell(rule.hint)} |"
            )
    return "\n".join(rows) + "\n"


def _on(rule) -> str:
    """What the rule looks at: its target classes (or properties), and its path."""
    from clinicgraph.vocab.namespaces import schema_term

    names = [
        schema_term(iri) or iri
        for iri in (*rule.targets.classes, *rule.targets.subjects_of, *rule.targets.objects_of)
    ]
    where = ", ".join(names) or "nodes"
    if rule.path is not None and rule.path.kind == "iri":
        where += f": `{schema_term(rule.path.iri) or rule.path.iri}`"
    return where


def _cited(cites: str | None) -> str:
    return f" ([source]({cites}))" if cites else ""


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


MAKERS = {
    "commands": commands,
    "source-formats": source_formats,
    "python-rules": python_rules,
    "shape-rules": shape_rules,
}
