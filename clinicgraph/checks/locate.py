"""Where a node, or one of its properties, was written: file and line for diagnostics."""

from __future__ import annotations

from pyoxigraph import BlankNode, NamedNode

from clinicgraph.graph.project import Project


class Locator:
    def __init__(self, project: Project):
        self.project = project

    def __call__(self, node, predicate: NamedNode | str | None = None) -> tuple[str | None, int | None]:
        if not isinstance(node, (NamedNode, BlankNode)):
            return None, None
        if isinstance(predicate, NamedNode):
            predicate = predicate.value
        found = self.project.where(_key(node), predicate)
        if found[1] is None and isinstance(node, BlankNode):
            # A blank node written inline ([ ... ]) is where its parent's property is.
            for parent, via in self.project.store.referrers(node):
                return self(parent, via)
        return found


def _key(node) -> str:
    if isinstance(node, NamedNode):
        return node.value
    return f"_:{node.value}" if isinstance(node, BlankNode) else str(node)
