"""The command line: parse arguments, call clinicgraph.pipeline, print. No logic here."""

from __future__ import annotations

import sys
import traceback
from functools import wraps
from pathlib import Path

import click

from clinicgraph import __version__, pipeline
from clinicgraph.checks import report
from clinicgraph.core.atomic import write_atomic
from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.exporters import FORMAT_NAMES
from clinicgraph.sparql.results import FORMAT_NAMES as QUERY_FORMATS


def _write_stdout(data: bytes) -> None:
    stream = click.get_binary_stream("stdout")  # type: ignore[operator]  # click 8.5's annotation of it
    stream.write(data)


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


def report_options(command):
    """The options of a command that reports diagnostics (validate, audit)."""
    for option in reversed([
        click.option("-f", "--format", "format_name", default="text", show_default=True,
                     type=click.Choice(list(report.FORMATS)),
                     help="; ".join(f"{name} {what}".strip() for name, (what, _) in report.FORMATS.items()) + "."),
        click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1)."),
        click.option("-o", "--output", type=click.Path(path_type=Path),
                     help="File to write (default: stdout)."),
    ]):
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
    _say(line)
    sys.exit(status)


def _progress(items, length, label):
    if sys.stderr.isatty():
        return click.progressbar(items, length=length, label=label, file=sys.stderr)
    return pipeline.no_progress(items, length, label)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clinicgraph")
@click.option("--debug", is_flag=True, envvar="CLINICGRAPH_DEBUG",
              help="Show the traceback behind an error's one line (also CLINICGRAPH_DEBUG=1).")
def main(debug):
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
@click.option("--endpoint", metavar="URL",
              help="Build from the site's graph in a SPARQL 1.1 store (see `push`); SOURCE gives "
                   "clinicgraph.toml. Credentials: CLINICGRAPH_ENDPOINT_USER, _PASSWORD, _AUTH.")
@click.option("--graph", metavar="IRI", help="With --endpoint: the named graph (default: the site URL).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes writing pages (default: one per CPU on sites of a few thousand pages; "
                   "the output is the same whatever N).")
@reports_errors
def build(source, output, allow_errors, shape_files, store, schemaorg, endpoint, graph, jobs):
    """Validate SOURCE, then build every page's JSON-LD, script snippets and RDF dumps.

    \b
    Writes OUTPUT/jsonld/<page path>.jsonld, OUTPUT/snippets/<page path>.html,
    OUTPUT/graph.ttl and OUTPUT/graph.nt. Data with errors is not published
    (exit 1) unless --allow-errors; `clinicgraph validate` shows them.

    \b
    Examples:
      clinicgraph build examples/back-spasms -o dist
      clinicgraph build examples/back-spasms --endpoint http://127.0.0.1:7878/query -o dist
    """
    if endpoint:
        if store:
            raise click.UsageError("--store and --endpoint exclude each other")
        from clinicgraph.sparql.remote import Endpoint

        project = pipeline.open_remote(source, Endpoint(endpoint), graph, schemaorg)
    elif graph:
        raise click.UsageError("--graph needs --endpoint")
    else:
        project = pipeline.open_project(source, schemaorg, store, changes_only=store is not None)
    result = pipeline.build(project, output, progress=_progress, shape_files=list(shape_files),
                            allow_errors=allow_errors, jobs=jobs)
    click.echo(result.summary())


@main.command()
@SOURCE
@report_options
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
    _print_report(diagnostics, format_name, output, strict, (Path(source) / "clinicgraph.toml").as_posix())


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
        _write_stdout(data)
    else:
        write_atomic(output, data)


@main.command()
@click.argument("source", required=False)
@click.argument("text", required=False, metavar="QUERY")
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the query from a file.")
@click.option("--format", "format_name", default="table", show_default=True,
              type=click.Choice(QUERY_FORMATS),
              help="SELECT/ASK: table, json, xml, csv, tsv. CONSTRUCT/DESCRIBE: turtle, nt, jsonld, xml.")
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead of SOURCE.")
@STORE
@reports_errors
def query(source, text, query_file, format_name, endpoint, store):
    """Ask the graph a SPARQL question (SELECT, ASK, CONSTRUCT, DESCRIBE).

    The prefixes schema, rdf, rdfs, xsd and owl are declared, the site URL is the
    base, and schema.org is http://schema.org/ inside the graph (https:// IRIs in a
    query are rewritten, strings are not). The default graph is the merge of the
    source files, each file a named graph (urn:clinicgraph:source:PATH); FROM and
    FROM NAMED replace them. SERVICE is refused.

    \b
    Examples:
      clinicgraph query examples/back-spasms 'SELECT ?cause WHERE { ?c schema:cause/schema:name ?cause }'
      clinicgraph query examples/back-spasms -f examples/queries/clinics-by-rating.rq --format csv
      clinicgraph query --endpoint http://127.0.0.1:7878/query -f question.rq
    """
    _write_stdout(pipeline.ask(source, text, query_file, format_name, endpoint, store))


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


@main.command()
@SOURCE
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL 1.1 query endpoint.")
@click.option("--graph", metavar="IRI", help="The named graph to replace (default: the site URL).")
@click.option("--user", envvar="CLINICGRAPH_ENDPOINT_USER", show_envvar=True, help="User name.")
@click.option("--password", envvar="CLINICGRAPH_ENDPOINT_PASSWORD", show_envvar=True,
              help="Password (better given in the environment than on the command line).")
@click.option("--auth", type=click.Choice(["basic", "digest"]), envvar="CLINICGRAPH_ENDPOINT_AUTH",
              show_envvar=True, help="basic (the default) sends the password with each request; digest "
                                     "answers the server's challenge and never sends it in clear.")
@click.option("--graph-store", "graph_store_url", metavar="URL",
              help="Graph Store Protocol URL (default: guessed from --endpoint, see README).")
@click.option("--update", "update_url", metavar="URL", help="SPARQL Update URL (default: guessed from --endpoint).")
@click.option("--method", type=click.Choice(["auto", "graph-store", "update"]), default="auto",
              show_default=True, help="auto: the Graph Store Protocol, else SPARQL Update.")
@click.option("--allow-errors", is_flag=True, help="Push even when validation finds errors.")
@SHAPES
@SCHEMAORG
@reports_errors
def push(source, endpoint, graph, user, password, auth, graph_store_url, update_url, method,
         allow_errors, shape_files, schemaorg):
    """Replace the site's named graph in a SPARQL 1.1 store with SOURCE's graph.

    \b
    One PUT by the Graph Store HTTP Protocol (atomic where the store makes a
    request a transaction), else DROP and INSERT by SPARQL 1.1 Update.
    Data with errors is not pushed (exit 1) unless --allow-errors.

    \b
    Examples:
      clinicgraph push examples/back-spasms --endpoint http://127.0.0.1:7878/query
      clinicgraph push site --endpoint http://127.0.0.1:8890/sparql-auth --user dba --auth digest
    """
    from clinicgraph.sparql.remote import Endpoint

    project = pipeline.open_project(source, schemaorg)
    remote = Endpoint(endpoint, user=user, password=password, auth=auth, update_url=update_url,
                      graph_store_url=graph_store_url)
    pushed = pipeline.push(project, remote, graph, method, list(shape_files), allow_errors)
    click.echo(pushed.summary())


@main.command()
@SOURCE
@click.option("--store", type=click.Path(path_type=Path),
              help="Keep the graph in an on-disk Oxigraph store at PATH, reused while current "
                   "(default: a temporary folder).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every network).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run.")
@click.option("--max-results-bytes", default=10_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest result sent; a larger one is refused with an error.")
@click.option("--max-query-bytes", default=1_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest query (and request body) accepted.")
@click.option("--max-wait", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may wait for the engine when every query slot is busy.")
@click.option("--cache-bytes", default=100_000_000, show_default=True, type=click.IntRange(min=0),
              help="Answers kept in memory for repeated queries (0: no cache).")
@click.option("--query-slots", type=click.IntRange(min=1),
              help="Queries the engine runs at once; the rest wait (default: 2 per CPU).")
@reports_errors
def serve(source, store, host, port, timeout, max_results_bytes, max_query_bytes, max_wait, cache_bytes,
          query_slots):
    """Serve SOURCE's graph as a read-only SPARQL 1.1 endpoint, with a query page.

    \b
    /            a page to type a query and see a table, with the example queries
    /sparql      the SPARQL 1.1 Protocol (GET, POST), every results format, CORS;
                 a GET without a query: the Service Description
    /jsonld/...  each page's JSON-LD, at the paths `build` writes
    /graph.ttl, /graph.nt, /graph.jsonld   the whole graph
    The default graph is the merge of the source files, each file a named graph
    (urn:clinicgraph:source:PATH); FROM and FROM NAMED, or default-graph-uri and
    named-graph-uri, replace them. No UPDATE, LOAD or SERVICE. Runs Oxigraph's
    server (`pip install oxigraph`) behind uvicorn; Ctrl-C stops both. Not
    validated (see `validate`). With --store, a restart over unchanged sources
    reuses the store and the files served.

    \b
    Example:
      clinicgraph serve examples/back-spasms
    """
    from clinicgraph.sparql.serve.endpoint import Limits
    from clinicgraph.sparql.serve.endpoint import serve as run_server

    def publish(store_path: Path, folder: Path) -> tuple:
        return pipeline.publish_for_serve(source, store_path, folder)

    limits = Limits(timeout, max_results_bytes, max_query_bytes, max_wait, cache_bytes,
                    **({"query_slots": query_slots} if query_slots else {}))
    run_server(publish, host, port, limits, store, say=click.echo)


@main.command()
@click.argument("site_dir", type=click.Path(path_type=Path))
@click.option("--source", type=click.Path(path_type=Path),
              help="The project (default: the nearest folder holding clinicgraph.toml, SITE_DIR or above).")
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a page would change (for CI).")
@click.option("--dry-run", is_flag=True, help="Change nothing; print the changes as a unified diff.")
@click.option("--map", "map_file", type=click.Path(path_type=Path, dir_okay=False),
              help='TOML file of "page url or path" = "file under SITE_DIR", for pages not found by their url.')
@click.option("--allow-errors", is_flag=True, help="Embed even when validation finds errors.")
@SHAPES
@SCHEMAORG
@reports_errors
def embed(site_dir, source, check, dry_run, map_file, allow_errors, shape_files, schemaorg):
    """Put each page's JSON-LD into its HTML file in SITE_DIR, a built static site.

    \b
    One <script type="application/ld+json" data-clinicgraph> block goes into each
    page's <head>, replacing the previous one; every other byte of the file stays.
    Files are found by url: /a/ -> a/index.html, /a.html and /a -> a.html.
    With --dry-run the diff goes to stdout and the report to stderr.

    \b
    Examples:
      clinicgraph embed examples/back-spasms/site --source examples/back-spasms
      clinicgraph embed public --check
    """
    source = source if source is not None else pipeline.project_for_site(site_dir)
    project = pipeline.open_project(source, schemaorg)
    result = pipeline.embed(project, site_dir, write=not (check or dry_run), map_file=map_file,
                            shape_files=list(shape_files), allow_errors=allow_errors, want_diff=dry_run)
    if dry_run:
        _write_stdout(result.diff)
    for line in [*result.lines(), result.summary()]:
        click.echo(line, err=dry_run)
    sys.exit(1 if check and result.changed else 0)


def _print_report(diagnostics, format_name: str, output: Path | None, strict: bool, whole_graph_uri: str):
    """A report of diagnostics (validate's and audit's) to stdout or a file; exits with its status."""
    text = report.render(diagnostics, format_name, output is None and sys.stdout.isatty(), whole_graph_uri)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text.encode("utf-8"))
    sys.exit(report.exit_status(diagnostics, strict=strict))


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PAGE.html|DIR...")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Turtle file to write (default: stdout).")
@click.option("--base", metavar="URL",
              help="The URL of DIR (its files' URLs follow their paths), or of PAGE.html; overrides canonical "
                   "links. Default: each page's canonical link, else the site url of a clinicgraph.toml "
                   "above DIR plus the file's path.")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=64, show_default=True,
              help="Refuse an HTML file larger than this.")
@click.option("--max-depth", type=click.IntRange(1, 100), default=50, show_default=True,
              help="Leave out a JSON-LD block whose objects and arrays nest deeper than this.")
@click.option("--allow-context", "allow_contexts", multiple=True, metavar="URL",
              help="Fetch this remote JSON-LD @context when a page names it (default: only schema.org's, "
                   "served offline). Repeatable.")
@reports_errors
def import_(paths, output, base, max_file_mb, max_depth, allow_contexts):
    """Read the schema.org markup HTML pages carry (JSON-LD, Microdata, RDFa) into a Turtle source.

    \b
    https://schema.org/ becomes http://schema.org/; relative ids resolve against each
    page's URL. Comments in the file name the pages each node came from. A block
    that cannot be read is a warning on stderr (file:line); the rest is imported.

    \b
    Examples:
      clinicgraph import public -o content/imported.ttl
      clinicgraph import page.html --base https://clinic.example/about/
    """
    from clinicgraph.graph.limits import Limits

    result = pipeline.import_html(list(paths), base, Limits(max_file_mb, max_depth, allow_contexts))
    for line in result.warnings:
        _say(line)
    if output is None:
        _write_stdout(result.turtle)
        click.echo(result.summary("stdout"), err=True)
    else:
        write_atomic(output, result.turtle)
        click.echo(result.summary(str(output)))


@main.command()
@click.argument("site_dir", type=click.Path(path_type=Path))
@click.option("--source", type=click.Path(path_type=Path),
              help="The project (default: the nearest folder holding clinicgraph.toml, SITE_DIR or above).")
@report_options
@click.option("--map", "map_file", type=click.Path(path_type=Path, dir_okay=False),
              help='TOML file of "page url or path" = "file under SITE_DIR", as for embed.')
@SHAPES
@SCHEMAORG
@reports_errors
def audit(site_dir, source, format_name, strict, output, map_file, shape_files, schemaorg):
    """Check the markup each HTML page of SITE_DIR carries, and compare it with the graph.

    \b
    Every page's JSON-LD, Microdata and RDFa get the validate rules; the graph's
    pages are also checked for markup missing, stale (differs from the graph as
    RDF) or duplicated, JSON that does not parse, and marked-up names, ratings and
    review texts the page does not show. Exit status as validate.

    \b
    Examples:
      clinicgraph audit examples/back-spasms/site
      clinicgraph audit public --source . --format sarif -o audit.sarif
    """
    source = source if source is not None else pipeline.project_for_site(site_dir)
    project = pipeline.open_project(source, schemaorg, content_required=False)  # other people's pages too
    result = pipeline.audit(project, site_dir, map_file, list(shape_files))
    click.echo(result.summary(), err=True)
    _print_report(result.diagnostics, format_name, output, strict, (Path(source) / "clinicgraph.toml").as_posix())
