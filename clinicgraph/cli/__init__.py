"""The command line: parse arguments, call clinicgraph.pipeline, print. No logic here:
the commands are in site_commands and graph_commands, what they share in shell."""

from __future__ import annotations

import click

from clinicgraph import __version__
from clinicgraph.cli import graph_commands, site_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clinicgraph")
@click.option(
    "--debug",
    is_flag=True,
    envvar="CLINICGRAPH_DEBUG",
    help="Show the traceback behind an error's one line (also CLINICGRAPH_DEBUG=1).",
)
def main(debug):
    """A clinic's health content as one RDF knowledge graph, published as schema.org JSON-LD.

    \b
    Example:
      clinicgraph build examples/back-spasms -o dist
    """


for command in (
    site_commands.build,
    site_commands.validate,
    site_commands.export,
    site_commands.embed,
    site_commands.import_,
    site_commands.audit,
    graph_commands.query,
    graph_commands.explain,
    graph_commands.vocab,
    graph_commands.rules,
    graph_commands.push,
    graph_commands.serve,
):
    main.add_command(command)
