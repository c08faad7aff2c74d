"""The commands on a site's graph and its pages: build, validate, export, embed, import, audit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clinicgraph import pipeline
from clinicgraph.cli.shell import (
    NO_DERIVE,
    SCHEMAORG,
    SHAPES,
    SITE_DIR,
    SITE_SOURCE,
    SOURCE,
    STORE,
    TODAY,
    given_day,
    print_report,
    print_text,
    progress_bar,
    report_options,
    reports_errors,
    say,
    write_stdout,
)
from clinicgraph.core.atomic import write_atomic
from clinicgraph.exporters import FORMAT_NAMES


@click.command()
@SOURCE
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder to write (replaced as a whole when the build succeeds).",
)
@click.option("--allow-errors", is_flag=True, help="Publish even when validation finds errors.")
@SHAPES
@TODAY
@STORE
@SCHEMAORG
@click.option(
    "--endpoint",
    metavar="URL",
    help="Build from the site's graph in a SPARQL 1.1 store (see `push`); SOURCE gives "
    "clinicgraph.toml. Credentials: CLINICGRAPH_ENDPOINT_USER, _PASSWORD, _AUTH.",
)
@click.option("--graph", metavar="IRI", help="With --endpoint: the named graph (default: the site URL).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes writing pages (default: one per CPU on sites of a few thousand pages; "
    "the output is the same whatever N).",
)
@NO_DERIVE
@reports_errors
def build(
    source, output, allow_errors, shape_files, today, store, schemaorg, endpoint, graph, jobs, no_derive
):
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

        project = pipeline.open_remote(source, Endpoint(endpoint), graph, schemaorg, derive=not no_derive)
    elif graph:
        raise click.UsageError("--graph needs --endpoint")
    else:
        project = pipeline.open_project(
            source, schemaorg, store, changes_only=store is not None, derive=not no_derive
        )
    result = pipeline.build(
        project,
        output,
        progress=progress_bar,
        shape_files=list(shape_files),
        allow_errors=allow_errors,
        jobs=jobs,
        today=given_day(today),
    )
    click.echo(result.summary())


@click.command()
@SOURCE
@report_options
@click.option(
    "--report",
    "report_name",
    type=click.Choice(["findings", "features"]),
    default="findings",
    show_default=True,
    help="findings: every finding; features: for each Google search feature, its pages "
    "with errors, with warnings only and valid, and the pages that could carry it (text or json).",
)
@SHAPES
@TODAY
@SCHEMAORG
@NO_DERIVE
@reports_errors
def validate(source, format_name, strict, output, report_name, shape_files, today, schemaorg, no_derive):
    """Check SOURCE against schema.org and Google's rich-result rules, offline.

    \b
    Exit 0 when there is no error (warnings allowed), 1 when the data has errors
    (or warnings, with --strict), 2 when the input cannot be read; the same with
    --report features.

    \b
    Examples:
      clinicgraph validate examples/back-spasms
      clinicgraph validate site --format sarif -o clinicgraph.sarif
      clinicgraph validate examples/clinic-network --report features
    """
    from clinicgraph.checks import report
    from clinicgraph.checks.feature_report import FORMATS as FEATURE_FORMATS
    from clinicgraph.checks.feature_report import feature_report

    if report_name == "features" and format_name not in FEATURE_FORMATS:
        raise click.UsageError(f"--report features is text or json: --format {format_name} is for findings")
    project = pipeline.open_project(source, schemaorg, derive=not no_derive)
    diagnostics = pipeline.validate(project, list(shape_files), today=given_day(today))
    if report_name == "features":
        text = FEATURE_FORMATS[format_name](*feature_report(project, diagnostics))
        print_text(text, output, report.exit_status(diagnostics, strict=strict))
    print_report(diagnostics, format_name, output, strict, (Path(source) / "clinicgraph.toml").as_posix())


@click.command()
@SOURCE
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    default="jsonld",
    show_default=True,
    help="Output format.",
)
@click.option("--page", "page_url", metavar="URL", help="Only this page's share of the graph.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@STORE
@SCHEMAORG
@NO_DERIVE
@reports_errors
def export(source, format_name, page_url, output, store, schemaorg, no_derive):
    """Write the whole graph, or one page, in one format.

    \b
    Examples:
      clinicgraph export examples/back-spasms --format turtle
      clinicgraph export examples/back-spasms --page https://westwoodtotalhealth.example/conditions/back-spasms/
    """
    project = pipeline.open_project(source, schemaorg, store, derive=not no_derive)
    data = pipeline.export(project, format_name, page_url)
    if output is None:
        write_stdout(data)
    else:
        write_atomic(output, data)


@click.command()
@SITE_DIR
@SITE_SOURCE
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a page would change (for CI).")
@click.option("--dry-run", is_flag=True, help="Change nothing; print the changes as a unified diff.")
@click.option(
    "--map",
    "map_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help='TOML file of "page url or path" = "file under SITE_DIR", for pages not found by their url.',
)
@click.option("--allow-errors", is_flag=True, help="Embed even when validation finds errors.")
@SHAPES
@TODAY
@SCHEMAORG
@NO_DERIVE
@reports_errors
def embed(site_dir, source, check, dry_run, map_file, allow_errors, shape_files, today, schemaorg, no_derive):
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
    project = pipeline.open_project(source, schemaorg, derive=not no_derive)
    result = pipeline.embed(
        project,
        site_dir,
        write=not (check or dry_run),
        map_file=map_file,
        shape_files=list(shape_files),
        allow_errors=allow_errors,
        want_diff=dry_run,
        today=given_day(today),
    )
    if dry_run:
        write_stdout(result.diff)
    for line in [*result.lines(), result.summary()]:
        click.echo(line, err=dry_run)
    sys.exit(1 if check and result.changed else 0)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PAGE.html|DIR...")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Turtle file to write (default: stdout)."
)
@click.option(
    "--base",
    metavar="URL",
    help="The URL of DIR (its files' URLs follow their paths), or of PAGE.html; overrides canonical "
    "links. Default: each page's canonical link, else the site url of a clinicgraph.toml "
    "above DIR plus the file's path.",
)
@click.option(
    "--max-file-mb",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Refuse an HTML file larger than this.",
)
@click.option(
    "--max-depth",
    type=click.IntRange(1, 100),
    default=50,
    show_default=True,
    help="Leave out a JSON-LD block whose objects and arrays nest deeper than this.",
)
@click.option(
    "--allow-context",
    "allow_contexts",
    multiple=True,
    metavar="URL",
    help="Fetch this remote JSON-LD @context when a page names it (default: only schema.org's, "
    "served offline). Repeatable.",
)
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
        say(line)
    if output is None:
        write_stdout(result.turtle)
        click.echo(result.summary("stdout"), err=True)
    else:
        write_atomic(output, result.turtle)
        click.echo(result.summary(str(output)))


@click.command()
@SITE_DIR
@SITE_SOURCE
@report_options
@click.option(
    "--map",
    "map_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help='TOML file of "page url or path" = "file under SITE_DIR", as for embed.',
)
@SHAPES
@TODAY
@SCHEMAORG
@NO_DERIVE
@reports_errors
def audit(site_dir, source, format_name, strict, output, map_file, shape_files, today, schemaorg, no_derive):
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
    project = pipeline.open_project(
        source, schemaorg, content_required=False, derive=not no_derive
    )  # other people's pages too
    result = pipeline.audit(project, site_dir, map_file, list(shape_files), given_day(today))
    click.echo(result.summary(), err=True)
    print_report(
        result.diagnostics, format_name, output, strict, (Path(source) / "clinicgraph.toml").as_posix()
    )
