"""The commands that ask the graph or hand it on: query, serve, push; and what validation
checks against: vocab, rules."""

from __future__ import annotations

from pathlib import Path

import click

from clinicgraph import pipeline
from clinicgraph.cli.shell import (
    NO_DERIVE,
    SCHEMAORG,
    SHAPES,
    SOURCE,
    STORE,
    TODAY,
    given_day,
    reports_errors,
    write_stdout,
)
from clinicgraph.sparql.results import FORMAT_NAMES as QUERY_FORMATS


@click.command()
@click.argument("source", required=False)
@click.argument("text", required=False, metavar="QUERY")
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the query from a file.",
)
@click.option(
    "--format",
    "format_name",
    default="table",
    show_default=True,
    type=click.Choice(QUERY_FORMATS),
    help="SELECT/ASK: table, json, xml, csv, tsv. CONSTRUCT/DESCRIBE: turtle, nt, jsonld, xml.",
)
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead of SOURCE.")
@STORE
@NO_DERIVE
@reports_errors
def query(source, text, query_file, format_name, endpoint, store, no_derive):
    """Ask the graph a SPARQL question (SELECT, ASK, CONSTRUCT, DESCRIBE).

    The prefixes schema, rdf, rdfs, xsd and owl are declared, the site URL is the
    base, and schema.org is http://schema.org/ inside the graph (https:// IRIs in a
    query are rewritten, strings are not). The default graph is the merge of the
    source files, each file a named graph (urn:clinicgraph:source:PATH), and of what
    is derived, each step a named graph (urn:clinicgraph:derived:STEP); FROM and
    FROM NAMED replace them. SERVICE is refused.

    \b
    Examples:
      clinicgraph query examples/back-spasms 'SELECT ?cause WHERE { ?c schema:cause/schema:name ?cause }'
      clinicgraph query examples/back-spasms -f examples/queries/clinics-by-rating.rq --format csv
      clinicgraph query --endpoint http://127.0.0.1:7878/query -f question.rq
    """
    write_stdout(pipeline.ask(source, text, query_file, format_name, endpoint, store, not no_derive))


@click.command()
@SOURCE
@click.argument("iri")
@click.option(
    "--format",
    "format_name",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json"]),
    help="text: one block per triple; json: the same as data.",
)
@SCHEMAORG
@NO_DERIVE
@reports_errors
def explain(source, iri, format_name, schemaorg, no_derive):
    """Show every triple of the node IRI and where it comes from.

    \b
    A triple written in a source names its file and line; a derived one names the
    rule (its file, the line of the template triple, and the solutions of its WHERE
    that made it) or the step (breadcrumbs, wiring) and the page it was derived for.
    IRI may be relative to the site URL (#clinic, conditions/back-spasms/#webpage).

    \b
    Examples:
      clinicgraph explain examples/back-spasms conditions/back-spasms/#webpage
      clinicgraph explain examples/clinic-network 'harbourfront/#clinic' --format json
    """
    project = pipeline.open_project(source, schemaorg, derive=not no_derive)
    write_stdout(pipeline.explain(project, iri, format_name))


@click.group()
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


@click.command()
@click.option(
    "--family", metavar="FAMILY", help="Only this family's rules (schema, google, health, hygiene ...)."
)
@click.option(
    "-f",
    "--format",
    "format_name",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "markdown"]),
    help="text: a line per rule; json: the same as data; markdown: the tables of the docs' rule pages.",
)
@SHAPES
@reports_errors
def rules(family, format_name, shape_files):
    """List every rule validation runs: id, severity, what it checks, the source it cites.

    \b
    The rules written in Python and as SHACL shapes, with the shapes given by
    --shapes (a shape with a bundled rule's id replaces it; one switched off with
    sh:deactivated is not listed). Each rule's family is its id's prefix; a Google
    rule also names the search feature it counts for (validate --report features).

    \b
    Examples:
      clinicgraph rules --family google
      clinicgraph rules --shapes my-shapes.ttl --format json
    """
    from clinicgraph.checks.catalogue import FORMATS, catalogue

    entries = catalogue(list(shape_files))
    if family is not None:
        known = list(dict.fromkeys(entry.family for entry in entries))
        entries = [entry for entry in entries if entry.family == family]
        if not entries:
            raise click.UsageError(f"no rule family {family!r} (families: {', '.join(known)})")
    click.echo(FORMATS[format_name](entries), nl=False)


@click.command()
@SOURCE
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL 1.1 query endpoint.")
@click.option("--graph", metavar="IRI", help="The named graph to replace (default: the site URL).")
@click.option("--user", envvar="CLINICGRAPH_ENDPOINT_USER", show_envvar=True, help="User name.")
@click.option(
    "--password",
    envvar="CLINICGRAPH_ENDPOINT_PASSWORD",
    show_envvar=True,
    help="Password (better given in the environment than on the command line).",
)
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    envvar="CLINICGRAPH_ENDPOINT_AUTH",
    show_envvar=True,
    help="basic (the default) sends the password with each request; digest "
    "answers the server's challenge and never sends it in clear.",
)
@click.option(
    "--graph-store",
    "graph_store_url",
    metavar="URL",
    help="Graph Store Protocol URL (default: guessed from --endpoint, see README).",
)
@click.option(
    "--update", "update_url", metavar="URL", help="SPARQL Update URL (default: guessed from --endpoint)."
)
@click.option(
    "--method",
    type=click.Choice(["auto", "graph-store", "update"]),
    default="auto",
    show_default=True,
    help="auto: the Graph Store Protocol, else SPARQL Update.",
)
@click.option("--allow-errors", is_flag=True, help="Push even when validation finds errors.")
@SHAPES
@TODAY
@SCHEMAORG
@NO_DERIVE
@reports_errors
def push(
    source,
    endpoint,
    graph,
    user,
    password,
    auth,
    graph_store_url,
    update_url,
    method,
    allow_errors,
    shape_files,
    today,
    schemaorg,
    no_derive,
):
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

    project = pipeline.open_project(source, schemaorg, derive=not no_derive)
    remote = Endpoint(
        endpoint,
        user=user,
        password=password,
        auth=auth,
        update_url=update_url,
        graph_store_url=graph_store_url,
    )
    pushed = pipeline.push(project, remote, graph, method, list(shape_files), allow_errors, given_day(today))
    click.echo(pushed.summary())


@click.command()
@SOURCE
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    help="Keep the graph in an on-disk Oxigraph store at PATH, reused while current "
    "(default: a temporary folder).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every network).",
)
@click.option(
    "--port",
    default=7878,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run.",
)
@click.option(
    "--max-results-bytes",
    default=10_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest result sent; a larger one is refused with an error.",
)
@click.option(
    "--max-query-bytes",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest query (and request body) accepted.",
)
@click.option(
    "--max-wait",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may wait for the engine when every query slot is busy.",
)
@click.option(
    "--cache-bytes",
    default=100_000_000,
    show_default=True,
    type=click.IntRange(min=0),
    help="Answers kept in memory for repeated queries (0: no cache).",
)
@click.option(
    "--query-slots",
    type=click.IntRange(min=1),
    help="Queries the engine runs at once; the rest wait (default: 2 per CPU).",
)
@NO_DERIVE
@reports_errors
def serve(
    source,
    store,
    host,
    port,
    timeout,
    max_results_bytes,
    max_query_bytes,
    max_wait,
    cache_bytes,
    query_slots,
    no_derive,
):
    """Serve SOURCE's graph as a read-only SPARQL 1.1 endpoint, with a query page.

    \b
    /            a page to type a query and see a table, with the example queries
    /sparql      the SPARQL 1.1 Protocol (GET, POST), every results format, CORS;
                 a GET without a query: the Service Description
    /jsonld/...  each page's JSON-LD, at the paths `build` writes
    /graph.ttl, /graph.nt, /graph.jsonld   the whole graph
    The default graph is the merge of the source files, each file a named graph
    (urn:clinicgraph:source:PATH), and of the derived graphs
    (urn:clinicgraph:derived:STEP); FROM and FROM NAMED, or default-graph-uri and
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
        return pipeline.publish_for_serve(source, store_path, folder, not no_derive)

    limits = Limits(
        timeout,
        max_results_bytes,
        max_query_bytes,
        max_wait,
        cache_bytes,
        **({"query_slots": query_slots} if query_slots else {}),
    )
    run_server(publish, host, port, limits, store, say=click.echo)
