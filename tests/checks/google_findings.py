"""The findings of one family of bundled shape rules on hand-written data, as the
Google rule tests compare them: (rule, severity, node, line)."""

from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes

SITE = "https://clinic.example/"


def family_findings(load, files: dict, prefixes: tuple[str, ...], today=None) -> list[tuple]:
    """Findings of the rules whose ids start with one of ``prefixes``, on the data as
    written (nothing derived), nodes shown relative to the site; date rules judge
    against ``today`` (a ``datetime.date``; default the day of the run)."""
    project = load(files, derive=False)
    shapes = load_shapes(default_shape_files())
    shapes.rules = [rule for rule in shapes.rules if rule.id.startswith(prefixes)]
    return [
        (d.rule, d.severity, (d.node or "").removeprefix(SITE), d.line)
        for d in run_shapes(project, shapes, today=today)
    ]


def edited(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text
