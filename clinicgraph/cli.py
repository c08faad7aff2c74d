"""The command line: parse arguments, call clinicgraph.pipeline, print. No logic here."""

from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path

import click

from clinicgraph import __version__, pipeline
from clinicgraph.errors import ClinicgraphError
from clinicgraph.exporters import FORMAT_NAMES
from clinicgraph.exporters.output import write_atomic

SOURCE = click.argument("source", type=click.Path(path_type=Path))
SCHEMAORG = click.option("--schemaorg", type=click.Path(path_type=Path), envvar="CLINICGRAPH_SCHEMAORG",
                         help="schema.org release file (or folder) for the full vocabulary check.")
STORE = click.option("--store", type=click.Path(path_type=Path),
                     help="Keep the graph in an on-disk Oxigraph store at PATH (default: in memory).")


_LINE_BREAKS = str.maketrans({c: " " for c in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"})


def _say(message: str) -> None:
    """One line on stderr, whatever the message quotes."""
    click.echo(message.translate(_LINE_BREAKS), err=True)


def reports_errors(command):
    """Turn a user's mistake into one line on stderr and an exit status; never a traceback."""
    @wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ClinicgraphError as error:
            _say(f"{error}" if error.path else f"clinicgraph: {error}")
            sys.exit(error.exit_code)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else "clinicgraph: "
            reason = error.strerror or str(error)
            _say(f"{where}{reason[:1].lower()}{reason[1:]}")
            sys.exit(2)
        except KeyboardInterrupt:
            _say("clinicgraph: interrupted")
            sys.exit(130)
    return run


def _progress(items, length, label):
    if sys.stderr.isatty():
        return click.progressbar(items, length=length, label=label, file=sys.stderr)
    return pipeline.nullcontext(items)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clinicgraph")
def main():
    """A clinic's health content as one RDF knowledge graph, published as schema.org JSON-LD.

    \b
    Example:
      clinicgraph build examples/back-spasms -o dist
    """


@main.command()
@SOURCE
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
              help="Folder to write (replaced as a whole when the build succeeds).")
@STORE
@SCHEMAORG
@reports_errors
def build(source, output, store, schemaorg):
    """Build every page's JSON-LD, script snippets and RDF dumps from SOURCE.

    \b
    Writes OUTPUT/jsonld/<page path>.jsonld, OUTPUT/snippets/<page path>.html,
    OUTPUT/graph.ttl and OUTPUT/graph.nt.

    \b
    Example:
      clinicgraph build examples/back-spasms -o dist
    """
    project = pipeline.open_project(source, schemaorg, store)
    report = pipeline.build(project, output, progress=_progress)
    click.echo(report.summary())


@main.command()
@SOURCE
@click.option("-f", "--format", "format_name", type=click.Choice(FORMAT_NAMES), default="jsonld",
              show_default=True, help="Output format.")
@click.option("--page", "page_url", metavar="URL", help="Only this page's share of the graph.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@STORE
@SCHEMAORG
@reports_errors
def export(source, format_name, page_url, output, store, schemaorg):
    """Write the whole graph, or one page, in one format.

    \b
    Examples:
      clinicgraph export examples/back-spasms --format turtle
      clinicgraph export examples/back-spasms --page https://westwoodtotalhealth.example/conditions/back-spasms/
    """
    project = pipeline.open_project(source, schemaorg, store)
    data = pipeline.export(project, format_name, page_url)
    if output is None:
        click.get_binary_stream("stdout").write(data)
    else:
        write_atomic(output, data)
