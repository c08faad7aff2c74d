"""The command line: parse arguments, call clinicgraph.pipeline, print. No logic here."""

from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path

import click

from clinicgraph import __version__, pipeline
from clinicgraph.checks import report
from clinicgraph.checks.sarif import as_sarif
from clinicgraph.errors import ClinicgraphError
from clinicgraph.exporters import FORMAT_NAMES
from clinicgraph.exporters.output import write_atomic

SOURCE = click.argument("source", type=click.Path(path_type=Path))
SCHEMAORG = click.option("--schemaorg", type=click.Path(path_type=Path), envvar="CLINICGRAPH_SCHEMAORG",
                         help="schema.org release file (or folder) for the full vocabulary check.")
SHAPES = click.option("--shapes", "shape_files", multiple=True, type=click.Path(path_type=Path),
                      help="Extra SHACL shapes (Turtle); a rule with a bundled rule's cg:rule id replaces it. "
                           "Repeatable.")
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
    return pipeline.no_progress(items, length, label)


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
@click.option("--allow-errors", is_flag=True, help="Publish even when validation finds errors.")
@SHAPES
@STORE
@SCHEMAORG
@reports_errors
def build(source, output, allow_errors, shape_files, store, schemaorg):
    """Validate SOURCE, then build every page's JSON-LD, script snippets and RDF dumps.

    \b
    Writes OUTPUT/jsonld/<page path>.jsonld, OUTPUT/snippets/<page path>.html,
    OUTPUT/graph.ttl and OUTPUT/graph.nt. Data with errors is not published
    (exit 1) unless --allow-errors; `clinicgraph validate` shows them.

    \b
    Example:
      clinicgraph build examples/back-spasms -o dist
    """
    project = pipeline.open_project(source, schemaorg, store)
    result = pipeline.build(project, output, progress=_progress, shape_files=list(shape_files),
                            allow_errors=allow_errors)
    click.echo(result.summary())


@main.command()
@SOURCE
@click.option("-f", "--format", "format_name", default="text", show_default=True,
              type=click.Choice(["text", "plain", "github", "json", "sarif"]),
              help="text for people; plain (file:line: ...) for editors; github for Actions "
                   "annotations; json; sarif for GitHub code scanning.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@SHAPES
@SCHEMAORG
@reports_errors
def validate(source, format_name, strict, output, shape_files, schemaorg):
    """Check SOURCE against schema.org and Google's rich-result rules, offline.

    \b
    Exit 0 when there is no error (warnings allowed), 1 when the data has errors
    (or warnings, with --strict), 2 when the input cannot be read.

    \b
    Examples:
      clinicgraph validate examples/back-spasms
      clinicgraph validate site --format sarif -o clinicgraph.sarif
    """
    project = pipeline.open_project(source, schemaorg)
    diagnostics = pipeline.validate(project, list(shape_files))
    if format_name == "text":
        color = output is None and sys.stdout.isatty()
        text = report.as_text(diagnostics, color=color)
    elif format_name == "sarif":
        text = as_sarif(diagnostics, __version__,
                        whole_graph_uri=(Path(source) / "clinicgraph.toml").as_posix())
    else:
        text = {"plain": report.as_plain, "github": report.as_github, "json": report.as_json}[
            format_name](diagnostics)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text.encode("utf-8"))
    sys.exit(report.exit_status(diagnostics, strict=strict))


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


@main.command()
@click.argument("source", type=click.Path(path_type=Path), required=False)
@click.argument("text", required=False, metavar="QUERY")
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the query from a file.")
@click.option("--format", "format_name", default="table", show_default=True,
              type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "nt", "jsonld"]),
              help="SELECT/ASK: table, json, xml, csv, tsv. CONSTRUCT/DESCRIBE: turtle, nt, jsonld, xml.")
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead of SOURCE.")
@STORE
@reports_errors
def query(source, text, query_file, format_name, endpoint, store):
    """Ask the graph a SPARQL question (SELECT, ASK, CONSTRUCT, DESCRIBE).

    The prefixes schema, rdf, rdfs, xsd and owl are declared, the site URL is the
    base, and schema.org is http://schema.org/ inside the graph (https:// in a query
    is rewritten). SERVICE is refused.

    \b
    Examples:
      clinicgraph query examples/back-spasms 'SELECT ?cause WHERE { ?c schema:cause/schema:name ?cause }'
      clinicgraph query examples/back-spasms -f examples/queries/clinics-by-rating.rq --format csv
      clinicgraph query --endpoint http://127.0.0.1:7878/query -f question.rq
    """
    if endpoint and text is None and source is not None and query_file is None:
        source, text = None, source  # `query --endpoint URL 'SELECT ...'`: no SOURCE given
    if (text is None) == (query_file is None):
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    label = str(query_file) if query_file else None
    text = query_file.read_text(encoding="utf-8") if query_file else text
    if endpoint:
        from clinicgraph.sparql.remote import Endpoint

        data = Endpoint(endpoint).query(text, format_name, source=label)
    else:
        if source is None:
            raise click.UsageError("give a SOURCE folder, or --endpoint URL")
        data = pipeline.query(pipeline.open_for_query(source, store), text, format_name, label)
    click.get_binary_stream("stdout").write(data)


@main.group()
def vocab():
    """The schema.org vocabulary that validation checks against.

    \b
    Example:
      clinicgraph vocab fetch ../shared/schemaorg/schemaorg-current-https.ttl
    """


@vocab.command()
@click.argument("source", required=False)
@reports_errors
def fetch(source):
    """Put schema.org's release in the user cache, from a FILE or a URL.

    Without SOURCE, downloads the current release from schema.org: the one command
    that uses the network, and only when asked.

    \b
    Examples:
      clinicgraph vocab fetch
      clinicgraph vocab fetch ../shared/schemaorg/schemaorg-current-https.ttl
    """
    from clinicgraph.vocab.fetch import fetch_release

    click.echo(f"schema.org vocabulary stored in {fetch_release(source)}")
