"""schema.org conformance: unknown terms, domains, ranges, superseded terms.

Leniency follows schema.org's own: a property's expected types are a hint, and
"we expect ... text where a Thing is expected" (https://schema.org/docs/datamodel.html),
so text where a type is expected is a warning, not an error, even where a data type
it does not fit is expected too (a Place or a URL). Text fits every data type's range
when its form does ("4.7" for a Number); an enumeration member's URL written as text
("https://schema.org/Monday") is the member.
"""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.checks.conformance_fast import feed_candidates
from clinicgraph.checks.context import TYPE, TYPING, CheckContext, lazy_types, type_name
from clinicgraph.checks.datatypes import READABLE, fits
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.registry import rule
from clinicgraph.graph.project import Project
from clinicgraph.vocab.namespaces import SCHEMA, schema_term
from clinicgraph.vocab.vocabulary import Vocabulary

DATAMODEL = "https://schema.org/docs/datamodel.html"
UNKNOWN_TYPE = rule(
    "schema/unknown-type", "error", "a type schema.org does not define, with the nearest real one"
)
UNKNOWN_PROPERTY = rule(
    "schema/unknown-property", "error", "a property schema.org does not define, with the nearest real one"
)
PROPERTY_DOMAIN = rule(
    "schema/property-domain",
    "error",
    "a property on a type outside its domain (inheritance counted)",
    cites=DATAMODEL,
)
RANGE = rule(
    "schema/range",
    "error",
    "a value outside the property's range (by written form for Text, URL, Number, Integer, Date, "
    "DateTime, Time, Boolean; classes with inheritance; enumeration members)",
    cites=DATAMODEL,
)
TEXT_FOR_THING = rule(
    "schema/text-for-thing",
    "warning",
    "text where a thing is expected (also where a URL or another data type it does not fit is "
    'expected beside it, `gameLocation: "Big Town"`): accepted by schema.org, but a node says '
    "more",
    cites=DATAMODEL,
)
SUPERSEDED = rule(
    "schema/superseded",
    "warning",
    "a superseded term, naming its replacement",
    cites="https://schema.org/supersededBy",
)
VOCABULARY_INCOMPLETE = rule(
    "schema/vocabulary-incomplete",
    "info",
    "checked against the terms clinicgraph carries, not the full release",
)
_NONE: frozenset = frozenset()
# An Action template's "query-input" and the like: "a PropertyValueSpecification, or its
# textual shorthand" ("required name=search_term_string"; https://schema.org/docs/actions.html).
_ANNOTATION_RANGES = frozenset({"PropertyValueSpecification", "Text"})


def check_conformance(project: Project, context: CheckContext | None = None) -> list[Diagnostic]:
    """Every finding, judging only the triples that can fail (``conformance_fast``)."""
    context = context or CheckContext(project)
    rules = _Rules(project.vocabulary, context)
    feed_candidates(context, rules)
    return rules.found + incomplete(project.vocabulary, rules.without_facts)


def check_each_triple(project: Project) -> list[Diagnostic]:
    """The same findings, every triple through every rule: the reference the fast path
    is tested against (too slow for a large site)."""
    context = CheckContext(project)
    triples = {(q.subject, q.predicate, q.object) for q in context.store}
    found: dict[object, set[str]] = defaultdict(set)
    for subject, predicate, obj in triples:
        if (local := type_name(predicate, obj)) is not None:
            found[subject].add(local)
    types = {node: frozenset(names) for node, names in found.items()}  # hashable: memo keys
    rules = _Rules(project.vocabulary, context, types)
    for subject, predicate, obj in triples:
        rules.triple(subject, predicate, obj)
    return rules.found + incomplete(project.vocabulary, rules.without_facts)


def check_subjects(project: Project, context: CheckContext, subjects) -> tuple[list[Diagnostic], set[str]]:
    """The findings about these subjects (every triple of theirs through every rule, as
    ``check_each_triple`` does), and the terms they use whose facts are unknown: what an
    incremental validation needs of the nodes a change can reach."""
    rules = _Rules(project.vocabulary, context)
    for subject in subjects:
        for predicate, obj in {
            (q.predicate, q.object) for q in context.store.quads_for_pattern(subject, None, None, None)
        }:
            rules.triple(subject, predicate, obj)
    return rules.found, rules.without_facts


def role_ends(project: Project, context: CheckContext, changed) -> set:
    """The nodes whose findings a change of these triples can alter through the Role
    pattern (``_Rules._is_role``), beyond the changed triples' subjects: a Role that is the
    value of a changed triple, and the nodes linking to a Role by the predicate of a
    changed triple the Role is the subject of."""
    rules = _Rules(project.vocabulary, context)

    def is_role(node) -> bool:
        return not isinstance(node, Literal) and rules._is_role(rules.types.get(node, _NONE))

    ends = {t.object for t in changed if is_role(t.object)}
    return ends | {
        quad.subject
        for t in changed
        if is_role(t.subject)
        for quad in context.store.quads_for_pattern(None, t.predicate, t.subject, None)
    }


def incomplete(vocabulary: Vocabulary, without_facts: set[str]) -> list[Diagnostic]:
    """The one info finding of a check against the built-in subset of schema.org."""
    if vocabulary.complete:
        return []
    unchecked = sorted(without_facts)
    detail = (
        (f"; domains and ranges of {len(unchecked)} term(s) were not checked ({', '.join(unchecked[:5])})")
        if unchecked
        else ""
    )
    return [
        VOCABULARY_INCOMPLETE.finding(
            None,
            None,
            f"checked against the schema.org terms clinicgraph models, not the full vocabulary{detail}",
            "for the full check give --schemaorg FILE or run `clinicgraph vocab fetch`",
        )
    ]


class _Rules:
    def __init__(self, vocabulary: Vocabulary, context: CheckContext, types=None):
        """``types``: the nodes' schema.org types, by default asked of the store as needed."""
        self.vocabulary, self.locate, self.store = vocabulary, context.locate, context.store
        self.types = lazy_types(context) if types is None else types
        self.without_facts: set[str] = set()
        self.found: list[Diagnostic] = []
        self._reported: set[tuple] = set()
        self._domain_memo: dict[tuple, bool] = {}
        self._range_memo: dict[tuple, bool] = {}
        self._data_type_memo: dict[str, frozenset] = {}

    def diagnostic(self, rule, message, subject, predicate=None, value=None, hint=None) -> None:
        """Record a finding (methods append rather than yield: a generator per triple cost
        more than the checks themselves on two million triples)."""
        self.found.append(rule.about(self.locate, subject, predicate, message, value, hint))

    def triple(self, subject, predicate, obj) -> None:
        """Every rule for one triple (additionalType is a property giving a type)."""
        if predicate in TYPING:
            self.type_term(subject, predicate, obj)
        if predicate != TYPE:
            self.property(subject, predicate, obj)

    def type_term(self, subject, predicate, obj) -> None:
        local = type_name(predicate, obj)
        where = None if predicate == TYPE else predicate  # an rdf:type is found at its node
        if local is None or self.vocabulary.is_type(local):
            if local and (replacement := self.vocabulary.superseded_by(local)):
                self.diagnostic(
                    SUPERSEDED,
                    f"type {local} is superseded by {replacement}",
                    subject,
                    where,
                    local,
                    hint=f"use {replacement}",
                )
            return
        suggestion = self.vocabulary.suggest(local, "type")
        kind = (
            "a property"
            if self.vocabulary.is_property(local)
            else ("an enumeration member" if self.vocabulary.is_member(local) else None)
        )
        message = f"{local} is {kind}, not a type" if kind else f"unknown schema.org type {local}"
        self.diagnostic(
            UNKNOWN_TYPE,
            message,
            subject,
            where,
            local,
            hint=f"did you mean {suggestion}?" if suggestion and not kind else None,
        )

    def property(self, subject, predicate, obj) -> None:
        """Every rule for one (non-type) triple."""
        term = schema_term(predicate.value)
        if term is None:
            return  # another vocabulary: not ours to judge
        if self.vocabulary.action_annotation(term):
            self.range(subject, predicate, term, obj, _ANNOTATION_RANGES)
            return
        if not self.known_property(subject, predicate, term):
            return
        self.superseded(subject, predicate, term)
        domains, ranges = self.vocabulary.domains(term), self.vocabulary.ranges(term)
        if not domains and not ranges:
            self.without_facts.add(term)
            return
        self.domain(subject, predicate, term)
        if ranges:
            self.range(subject, predicate, term, obj, ranges)

    def known_property(self, subject, predicate, term: str) -> bool:
        vocabulary = self.vocabulary
        if vocabulary.is_property(term):
            return True
        suggestion = vocabulary.suggest(term, "property")
        kind = (
            "a type"
            if vocabulary.is_type(term)
            else ("an enumeration member" if vocabulary.is_member(term) else None)
        )
        self.diagnostic(
            UNKNOWN_PROPERTY,
            f"{term} is {kind}, not a property" if kind else f"unknown schema.org property {term}",
            subject,
            predicate,
            hint=f"did you mean {suggestion}?" if suggestion and not kind else None,
        )
        return False

    def superseded(self, subject, predicate, term: str) -> None:
        if (replacement := self.vocabulary.superseded_by(term)) and self._once("superseded", subject, term):
            self.diagnostic(
                SUPERSEDED,
                f"{term} is superseded by {replacement}",
                subject,
                predicate,
                hint=f"use {replacement}",
            )

    def domain(self, subject, predicate, term: str) -> None:
        domains = self.vocabulary.domains(term)
        subject_types = self.types.get(subject, _NONE)
        if (
            domains
            and subject_types
            and not self._in_domain(term, subject_types)
            and not (self._is_role(subject_types) and self._linked(None, predicate, subject))
            and self._once("domain", subject, term)
        ):
            self.diagnostic(
                PROPERTY_DOMAIN,
                f"{term} is not a property of {_names(subject_types)}",
                subject,
                predicate,
                hint=f"schema.org gives {term} to {_names(domains, 'or')}",
            )

    def _in_domain(self, term: str, subject_types: frozenset) -> bool:
        """Whether a term fits a node of these types (or a type is unknown: reported already).
        Memoized: a site has few distinct (term, types) pairs and many triples."""
        key = (term, subject_types)
        found = self._domain_memo.get(key)
        if found is None:
            vocabulary, domains = self.vocabulary, self.vocabulary.domains(term)
            found = not all(vocabulary.is_type(t) for t in subject_types) or any(
                vocabulary.ancestors(t) & domains for t in subject_types
            )
            self._domain_memo[key] = found
        return found

    def data_types(self, term: str, ranges) -> frozenset:
        found = self._data_type_memo.get(term)
        if found is None:
            found = self._data_type_memo[term] = frozenset(
                r for r in ranges if self.vocabulary.is_data_type(r)
            )
        return found

    def range(self, subject, predicate, term, obj, ranges) -> None:
        vocabulary = self.vocabulary
        data_types = self.data_types(term, ranges)
        expected = _names(ranges, "or")
        if isinstance(obj, Literal):
            if "Text" in data_types or self.literal_fits(obj, data_types):
                return  # any text is Text; or it has the form of a data type expected
            member = self._member_named(obj.value)
            if member is None:
                self._text(subject, predicate, term, obj, ranges, data_types)
                return
            obj = NamedNode(SCHEMA + member)  # https://schema.org/Monday as text: the member, judged so
        if isinstance(obj, (NamedNode, BlankNode)):
            if isinstance(obj, NamedNode) and "URL" in data_types:
                return  # an IRI is a URL, whatever else the graph says about it
            object_types = self.types.get(obj, _NONE)
            local = schema_term(obj.value) if isinstance(obj, NamedNode) else None
            if local and vocabulary.is_member(local):
                object_types = object_types | vocabulary.member_types(local)
            if (
                not object_types
                or self._in_range(term, ranges, object_types)
                or (self._is_role(object_types) and self._linked(obj, predicate, None))
            ):
                return  # a link or an untyped node (schema.org allows a URL for any Thing), fitting, or a Role
            value = local or (obj.value if isinstance(obj, NamedNode) else None)
            self.diagnostic(
                RANGE,
                f"{term} expects {expected}, not {_names(object_types, 'or')}",
                subject,
                predicate,
                value,
            )

    def _text(self, subject, predicate, term, obj: Literal, ranges, data_types) -> None:
        """Text of no expected data type's form: where a range is a thing (a Place, or a
        URL: gameLocation "Big Town"), schema.org's leniency makes it a warning; where
        only data types are expected, an error."""
        if len(data_types) < len(ranges):
            expected, name = _names(ranges, "or"), obj.value.strip()
            hint = (
                f'write the member as an IRI: {{id: "schema:{name}"}}'
                if self.vocabulary.is_member(name)
                else f"describe it as a node of type {_names(ranges - data_types, 'or')}"
            )
            self.diagnostic(
                TEXT_FOR_THING,
                f"{term} expects {expected}; text is accepted but less useful",
                subject,
                predicate,
                obj.value,
                hint=hint,
            )
        else:
            readable = " or ".join(sorted({READABLE.get(d, d) for d in data_types}))
            self.diagnostic(
                RANGE, f"{term} expects {readable}, not {obj.value!r}", subject, predicate, obj.value
            )

    def _member_named(self, text: str) -> str | None:
        """The enumeration member a schema.org URL written as text names (JSON-LD gives
        "https://schema.org/Tuesday" as text where the context does not make it an IRI)."""
        local = schema_term(text.strip())
        return local if local is not None and self.vocabulary.is_member(local) else None

    @staticmethod
    def literal_fits(obj: Literal, data_types) -> bool:
        """Whether the text fits one of the data types (or one this cannot judge)."""
        return any(fits(obj.value, d) is not False for d in data_types)

    def _in_range(self, term: str, ranges, object_types: frozenset) -> bool:
        key = (term, object_types)
        found = self._range_memo.get(key)
        if found is None:
            vocabulary = self.vocabulary
            found = (
                not all(vocabulary.knows(t) for t in object_types)  # reported already
                or any(vocabulary.ancestors(t) & ranges for t in object_types)
            )
            self._range_memo[key] = found
        return found

    def _is_role(self, types: frozenset) -> bool:
        """schema.org's Role pattern (https://schema.org/Role): a Role node stands between a
        property's subject and its object, and carries the same property again for the
        object ({member: {type: OrganizationRole, startDate: 1977, member: {type: Person}}}).
        So a Role may carry the property that links to it, and be the value of a property
        it carries, whatever their domains and ranges; each end is judged as usual."""
        return any(self.vocabulary.is_subtype(t, "Role") for t in types)

    def _linked(self, subject, predicate, obj) -> bool:
        return next(iter(self.store.quads_for_pattern(subject, predicate, obj, None)), None) is not None

    # What the fast path asks before it looks at triples: can this fail at all?

    def type_may_fail(self, predicate, obj) -> bool:
        local = type_name(predicate, obj)
        return local is not None and (
            not self.vocabulary.is_type(local) or bool(self.vocabulary.superseded_by(local))
        )

    def outside_domain(self, term: str, type_name: str) -> bool:
        """A node of this type (and maybe others) could be outside the term's domain."""
        vocabulary = self.vocabulary
        return vocabulary.is_type(type_name) and not vocabulary.ancestors(type_name) & vocabulary.domains(
            term
        )

    def outside_range(self, ranges, type_name: str) -> bool:
        """A value of this type (and maybe others) could be outside these ranges."""
        vocabulary = self.vocabulary
        return vocabulary.knows(type_name) and not vocabulary.ancestors(type_name) & ranges

    def _once(self, *key) -> bool:
        if key in self._reported:
            return False
        self._reported.add(key)
        return True


def _names(names, joiner: str = "and") -> str:
    ordered = sorted(names)
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + f" {joiner} " + ordered[-1]
