"""What every command shares: the common options, one line for a mistake (the traceback
with --debug), progress on a terminal, a report printed with its exit status."""

from __future__ import annotations

import sys
import traceback
from datetime import date
from functools import wraps
from pathlib import Path

import click

from clinicgraph import pipeline
from clinicgraph.checks import report
from clinicgraph.core.atomic import write_atomic
from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.checks_config import parse_day


def write_stdout(data: bytes) -> None:
    stream = click.get_binary_stream("stdout")  # type: ignore[operator]  # click 8.5's annotation of it
    stream.write(data)


SOURCE = click.argument("source", type=click.Path(path_type=Path))
SITE_DIR = click.argument("site_dir", type=click.Path(path_type=Path))
SITE_SOURCE = click.option(
    "--source",
    type=click.Path(path_type=Path),
    help="The project (default: the nearest folder holding clinicgraph.toml, SITE_DIR or above).",
)
SCHEMAORG = click.option(
    "--schemaorg",
    type=click.Path(path_type=Path),
    envvar="CLINICGRAPH_SCHEMAORG",
    help="schema.org release file (or folder) for the full vocabulary check.",
)
SHAPES = click.option(
    "--shapes",
    "shape_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra SHACL shapes (Turtle); a rule with a bundled rule's cg:rule id replaces it. Repeatable.",
)
# Read as text and parsed by the command (``today``), so a bad date is one line, not a usage screen.
TODAY = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The day rules about dates judge against (special hours already past, a medical review "
    "too old or in the future), so a run can be reproduced (default: [checks] today of "
    "clinicgraph.toml, else the current date).",
)
STORE = click.option(
    "--store",
    type=click.Path(path_type=Path),
    help="Keep the graph in an on-disk Oxigraph store at PATH (default: in memory).",
)

NO_DERIVE = click.option(
    "--no-derive",
    is_flag=True,
    help="Derive nothing (breadcrumbs, page wiring, rules/*.rq): the graph of the sources alone, "
    "as with [derive] enabled = false.",
)


def given_day(text: str | None) -> date | None:
    """``--today``'s day, if given; a bad one is the user's mistake (exit 2)."""
    try:
        return parse_day(text) if text is not None else None
    except ValueError as error:
        raise ClinicgraphError(f"--today: {error}") from None


_LINE_BREAKS = str.maketrans({c: " " for c in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"})


def say(message: str) -> None:
    """One line on stderr, whatever the message quotes."""
    click.echo(message.translate(_LINE_BREAKS), err=True)


def report_options(command):
    """The options of a command that reports diagnostics (validate, audit)."""
    for option in reversed(
        [
            click.option(
                "-f",
                "--format",
                "format_name",
                default="text",
                show_default=True,
                type=click.Choice(list(report.FORMATS)),
                help="; ".join(f"{name} {what}".strip() for name, (what, _) in report.FORMATS.items()) + ".",
            ),
            click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1)."),
            click.option(
                "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
            ),
        ]
    ):
        command = option(command)
    return command


def reports_errors(command):
    """Turn a user's mistake into one line on stderr and an exit status; never a traceback,
    unless asked for with --debug (or CLINICGRAPH_DEBUG=1): then the traceback, above the line."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except pipeline.BadUsage as error:
            raise click.UsageError(str(error)) from None
        except ClinicgraphError as error:
            _fail(error, f"{error}" if error.path else f"clinicgraph: {error}", error.exit_code)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else "clinicgraph: "
            reason = error.strerror or str(error)
            _fail(error, f"{where}{reason[:1].lower()}{reason[1:]}", 2)
        except KeyboardInterrupt as error:
            _fail(error, "clinicgraph: interrupted", 130)

    return run


def _fail(error: BaseException, line: str, status: int):
    context = click.get_current_context(silent=True)
    if context is not None and context.find_root().params.get("debug"):
        traceback.print_exception(error, file=sys.stderr)
    say(line)
    sys.exit(status)


def progress_bar(items, length, label):
    if sys.stderr.isatty():
        return click.progressbar(items, length=length, label=label, file=sys.stderr)
    return pipeline.no_progress(items, length, label)


def print_report(diagnostics, format_name: str, output: Path | None, strict: bool, whole_graph_uri: str):
    """A report of diagnostics (validate's and audit's) to stdout or a file; exits with its status."""
    text = report.render(diagnostics, format_name, output is None and sys.stdout.isatty(), whole_graph_uri)
    print_text(text, output, report.exit_status(diagnostics, strict=strict))


def print_text(text: str, output: Path | None, status: int):
    """A report to stdout or a file (written whole or not at all); exits with ``status``."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text.encode("utf-8"))
    sys.exit(status)
