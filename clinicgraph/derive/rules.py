"""Rules: the project's ``rules/*.rq``, SPARQL CONSTRUCT queries whose output joins the graph.

**Reading.** Every rule is read and checked before any runs, so a bad third rule stops
the derivation before the first has written a triple. A rule is read as ``clinicgraph
query`` reads a query (graph.query_text, graph.query_reading): the prefixes schema, rdf,
rdfs, xsd and owl predeclared, the site URL as base, schema.org's https spelling
rewritten, SERVICE refused (no network at run time). A rule must be a CONSTRUCT; a
SELECT, ASK, DESCRIBE or an update, a syntax error, FROM or FROM NAMED (a rule's dataset
is fixed, below) are input errors at their line and column.

**Running.** In file-name order (code points), each rule over the source graphs and the
graphs of the rules before it, as its default graph and as its named graphs: never its
own graph, nor breadcrumbs' or other derived graphs, so what it writes does not depend
on what it wrote last time. Its output replaces its own named graph,
``urn:clinicgraph:derived:rule:<file name>``, before the next rule runs.

**Minting.** ``IRI()``/``URI()`` in a rule must make an absolute IRI: SPARQL leaves the
variable unbound when the text is no IRI (a space in a slug), and the template triples
that use it would go without a word, so a page the rule means to make would be missing.
Each call is found by asking Oxigraph's parser (a probe with the keyword spelt wrong
stops earlier: the word was the keyword, not part of a string, name or comment) and
becomes a call of a function of ours that makes the same IRI or notes why it cannot;
the note stops the rule with the line and column of the call. A relative text is refused
too (SPARQL would resolve it against the base): a rule names pages absolutely, from the
site's or a node's IRI. Template triples that SPARQL itself leaves out (a literal as
subject, an unbound variable) stay left out, as the standard says.

**Limits.** ``[derive] max-triples`` (default 10 x the sources' triples) bounds what the
rules write in all. Oxigraph streams a CONSTRUCT's triples (each distinct triple once)
as the solutions come, so a rule that joins more than it meant is stopped near the
limit, not after making it all (a rule with ORDER BY, or an aggregate, is evaluated in
full first: the engine must). On any error every rule's graph is dropped: nothing is
left half-written.

**Blank nodes** of a template are new for each solution, with labels that change from
run to run; a rule's output that has any is labelled by content (ids.content_labels)
before it is kept, so the store and its N-Quads are the same from run to run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from clinicgraph.core.errors import SourceError
from clinicgraph.graph import ids
from clinicgraph.graph.project import Project
from clinicgraph.graph.query_footprint import footprint
from clinicgraph.graph.query_reading import PROBE_END, Stop, line_column, local_stop, read
from clinicgraph.graph.query_text import QueryError, default_prefixes, syntax_error, tokens
from clinicgraph.graph.store import Store
from clinicgraph.graph.text import decode

RULES = "rules"
FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
MINT = "urn:clinicgraph:rule-iri:"  # + the call's number: the function IRI()/URI() become
_MINT_CALL = re.compile(r"\b(?:IRI|URI)\s*\(", re.IGNORECASE)  # wider than the keyword: each is probed
_XSD_STRING = NamedNode("http://www.w3.org/2001/XMLSchema#string")
_BATCH = 10_000  # quads handed to the store at a time
Graphs = list[NamedNode | BlankNode | DefaultGraph]  # as pyoxigraph takes a dataset
_PARSER = pyoxigraph.Store()  # rules are parsed on it: empty, so nothing is evaluated


@dataclass(frozen=True)
class Rule:
    path: Path
    relpath: str  # rules/pages.rq, as errors name it
    text: str  # as written
    graph: NamedNode  # urn:clinicgraph:derived:rule:<file name>
    query: str  # as it runs: https spelling rewritten, each IRI()/URI() call ours
    base: str
    construct_at: tuple[int, int]  # line and column of CONSTRUCT
    mints: tuple[tuple[int, int], ...] = ()  # line and column of each IRI()/URI() call, by number

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def reads(self) -> frozenset[str] | None:
        """The predicates the rule's WHERE reads (None: any, or rdflib cannot tell)."""
        try:
            return footprint(self.query, default_prefixes(), self.base).reads
        except Exception:  # rdflib's parser refuses what Oxigraph runs: assume it reads everything
            return None


@dataclass
class RuleRun:
    """What the rules wrote: each rule's triples, in the order they ran."""

    limit: int
    written: dict[str, int] = field(default_factory=dict)  # relpath -> triples in its graph

    @property
    def total(self) -> int:
        return sum(self.written.values())


def find_rules(root: Path, base: str) -> list[Rule]:
    """Every rule of the project (``rule_files``), each read and checked; ``base`` is
    the site URL."""
    return [read_rule(path, root, base) for path in rule_files(root)]


def rule_files(root: Path) -> list[Path]:
    """Every ``rules/*.rq`` of the project (not below: a subfolder keeps drafts), in
    file-name order."""
    folder = root / RULES
    if not folder.is_dir():
        return []
    paths = [path for path in folder.iterdir() if path.suffix == ".rq" and not path.name.startswith(".")]
    return sorted(paths, key=lambda path: path.name)


def read_rule(path: Path, root: Path, base: str) -> Rule:
    relpath = path.relative_to(root).as_posix()
    try:
        text = decode(path.read_bytes(), relpath)
    except OSError as error:
        raise SourceError(f"cannot read the rule: {error.strerror}", relpath) from None
    construct_at = _construct(text, relpath)
    try:
        _PARSER.query(text, base_iri=base, prefixes=default_prefixes())
    except SyntaxError as error:
        raise _source_error(syntax_error(error, relpath)) from None
    stop = local_stop(base)
    try:
        reading = read(text, stop, relpath)
    except QueryError as error:
        raise _source_error(error) from None
    if reading.own_dataset:
        raise SourceError(
            "FROM and FROM NAMED are not for rules: a rule reads the sources and the rules before it",
            relpath,
            *_first_word(text, {"FROM"}, construct_at),
        )
    query, mints = _checked_mints(reading.text, stop)
    return Rule(path, relpath, text, NamedNode(ids.rule_graph(path.name)), query, base, construct_at, mints)


def _construct(text: str, relpath: str) -> tuple[int, int]:
    """Where the rule's CONSTRUCT is; SourceError if its form is another."""
    for token in tokens(text):
        word = token.group().upper() if token.lastgroup == "word" else ""
        if word == "CONSTRUCT":
            return line_column(text, token.start())
        if word in FORMS or word in UPDATES:
            what = "an update" if word in UPDATES else f"a {word} query"
            raise SourceError(
                f"a rule is a SPARQL CONSTRUCT query, this is {what}: CONSTRUCT {{ the triples to add }} WHERE {{ ... }}",
                relpath,
                *line_column(text, token.start()),
            )
    raise SourceError("a rule is a SPARQL CONSTRUCT query: no CONSTRUCT found", relpath, 1, 1)


def _first_word(text: str, words: set[str], otherwise: tuple[int, int]) -> tuple[int, int]:
    found = (t for t in tokens(text) if t.lastgroup == "word" and t.group().upper() in words)
    token = next(found, None)
    return line_column(text, token.start()) if token else otherwise


def _source_error(error: QueryError) -> SourceError:
    return SourceError(error.message, error.path, error.line, error.column)


def _checked_mints(text: str, stop: Callable[[str], Stop]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text with each IRI()/URI() call a call of ``MINT`` + its number; their places."""
    whole = stop(text + PROBE_END)
    calls = [
        match.start()
        for match in _MINT_CALL.finditer(text)
        if stop(text[: match.start() + 2] + "q" + text[match.start() + 3 :] + PROBE_END) != whole
    ]
    query = text
    for number, start in reversed(list(enumerate(calls))):
        query = f"{query[:start]}<{MINT}{number}>{query[start + 3 :]}"
    return query, tuple(line_column(text, start) for start in calls)


# --- running ---------------------------------------------------------------------------


def run_rules(
    project: Project, rules: list[Rule], limit: int | None = None, changed: set[str] | None = None
) -> RuleRun:
    """Run the rules on the project's store in order, each replacing its own graph; drop
    the graphs of rules that are gone. ``limit``: what they may write in all (None: the
    project's ``[derive] max-triples``). ``changed``: the predicates whose triples changed
    since these same rules last ran on this store (None: unknown); a rule that reads
    none of them keeps the graph it wrote then, since its solutions are what they were,
    and what a rule run again writes or wrote counts as changed for the rules after it.
    SourceError, with every rule graph dropped, for a rule that mints no IRI, cannot be
    evaluated, or takes the total past the limit."""
    store = project.store
    drop_rule_graphs(store, keep={rule.graph for rule in rules})
    if not rules:
        return RuleRun(limit or 0)
    sources = source_graphs(store)
    if limit is None:
        limit = project.site.derive.max_triples_for(_count(store, sources))
    run = RuleRun(limit)
    try:
        for index, rule in enumerate(rules):
            if changed is not None and _unaffected(store, rule, changed):
                run.written[rule.relpath] = _count(store, [rule.graph])
                continue
            wrote = _predicates(store, rule.graph) if changed is not None else set()
            visible = sources + read_by(rules, index)
            run.written[rule.relpath] = _run_rule(store, rule, visible, limit - run.total, limit)
            if changed is not None:
                changed |= wrote | _predicates(store, rule.graph)
    except BaseException:
        drop_rule_graphs(store, keep=set())
        raise
    finally:
        store.flush()
    return run


def source_graphs(store: Store) -> Graphs:
    """The sources' graphs, which every rule reads."""
    return sorted(
        (
            graph
            for graph in store.oxigraph.named_graphs()
            if isinstance(graph, NamedNode) and ids.source_of_graph(graph.value) is not None
        ),
        key=str,
    )


def read_by(rules: list[Rule], index: int) -> Graphs:
    """The rules' graphs that the rule at ``index`` reads besides the sources': those of
    the rules before it."""
    return [before.graph for before in rules[:index]]


def drop_rule_graphs(store: Store, keep: set[NamedNode]) -> None:
    """Drop every rule's graph but those in ``keep`` (a rule removed takes its output with it)."""
    for graph in list(store.oxigraph.named_graphs()):
        if (
            isinstance(graph, NamedNode)
            and graph.value.startswith(ids.RULE_GRAPH_PREFIX)
            and graph not in keep
        ):
            store.drop_graph(graph)


def _unaffected(store: Store, rule: Rule, changed: set[str]) -> bool:
    """Whether the rule's output is what it wrote last time: it reads none of the
    predicates that changed, and its graph is there (a rule that wrote nothing has none:
    it runs again, at little cost)."""
    reads = rule.reads
    return reads is not None and not reads & changed and rule.graph in set(store.oxigraph.named_graphs())


def _predicates(store: Store, graph: NamedNode) -> set[str]:
    found = store.oxigraph.query(f"SELECT DISTINCT ?p WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(found, pyoxigraph.QuerySolutions)
    return {row["p"].value for row in found}


def _count(store: Store, graphs: Graphs) -> int:
    counted = store.oxigraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graphs)
    assert isinstance(counted, pyoxigraph.QuerySolutions)
    return int(next(iter(counted))["n"].value)


def _run_rule(store: Store, rule: Rule, visible: Graphs, room: int, limit: int) -> int:
    """Replace the rule's graph with its output over ``visible``; the triples written."""
    failures: list[tuple[int, str]] = []
    functions = {NamedNode(f"{MINT}{n}"): _minting(n, failures) for n in range(len(rule.mints))}
    store.drop_graph(rule.graph)
    count, blanks, batch = 0, False, []
    try:
        triples = store.oxigraph.query(
            rule.query,
            base_iri=rule.base,
            prefixes=default_prefixes(),
            default_graph=visible,
            named_graphs=[graph for graph in visible if not isinstance(graph, DefaultGraph)],
            custom_functions=functions,
        )
        assert isinstance(triples, pyoxigraph.QueryTriples)  # a rule is a CONSTRUCT
        for triple in triples:
            if failures:
                break
            count += 1
            if count > room:
                raise SourceError(
                    f"the rules write more than {limit:,} triples with this one, the limit of "
                    "[derive] max-triples (10 x the sources' triples unless set): look for a join "
                    "the rule did not mean, or raise max-triples in clinicgraph.toml",
                    rule.relpath,
                    *rule.construct_at,
                )
            blanks = blanks or isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)
            batch.append(Quad(triple.subject, triple.predicate, triple.object, rule.graph))
            if len(batch) >= _BATCH:
                store.add_quads(batch)
                batch = []
    except (RuntimeError, OSError) as error:
        raise SourceError(
            f"the rule cannot be evaluated: {' '.join(str(error).split())}", rule.relpath, *rule.construct_at
        ) from None
    if failures:
        number, reason = failures[0]
        raise SourceError(reason, rule.relpath, *rule.mints[number])
    store.add_quads(batch)
    return _labelled(store, rule.graph) if blanks else count


def _minting(number: int, failures: list[tuple[int, str]]):
    """IRI()/URI() call ``number``: the IRI of a text (or the IRI given); a note in
    ``failures`` and no value when there is none."""

    def mint(value):
        if isinstance(value, NamedNode):
            return value
        if isinstance(value, Literal) and value.language is None and value.datatype == _XSD_STRING:
            try:
                return NamedNode(value.value)
            except ValueError as error:
                failures.append((number, _no_iri(value, str(error))))
                return None
        failures.append((number, f"IRI() of {value}: it takes text (a string), or an IRI"))
        return None

    return mint


def _no_iri(value: Literal, reason: str) -> str:
    if "No scheme" in reason:
        reason = "it is relative: a rule mints absolute IRIs, from the site's or a node's (CONCAT(STR(?clinic), ...))"
    else:
        reason = f"{reason[:1].lower()}{reason[1:]}: ENCODE_FOR_URI() the parts taken from the data"
    return f"IRI() of {value} is no IRI, {reason}"


def _labelled(store: Store, graph: NamedNode) -> int:
    """Name the blank nodes the rule made after what they say; the triples kept. A blank
    node of the graphs the rule read (a source's, copied) keeps its name: it is that node."""
    triples = [
        (q.subject, q.predicate, q.object) for q in store.oxigraph.quads_for_pattern(None, None, None, graph)
    ]
    blanks = {term for triple in triples for term in triple if isinstance(term, BlankNode)}
    read: dict = {
        blank: NamedNode(f"urn:clinicgraph:blank:{blank.value}")
        for blank in blanks
        if _elsewhere(store, blank, graph)
    }
    back: dict = {named: blank for blank, named in read.items()}
    labelled = {
        tuple(back.get(term, term) for term in triple)
        for triple in ids.content_labels(
            [tuple(read.get(term, term) for term in triple) for triple in triples]
        )
    }
    store.drop_graph(graph)
    store.add_quads([Quad(subject, predicate, obj, graph) for subject, predicate, obj in labelled])
    return len(labelled)


def _elsewhere(store: Store, blank: BlankNode, graph: NamedNode) -> bool:
    """Whether a blank node is in a graph other than ``graph``."""
    quads = (
        store.oxigraph.quads_for_pattern(blank, None, None),
        store.oxigraph.quads_for_pattern(None, None, blank),
    )
    return any(quad.graph_name != graph for found in quads for quad in found)
