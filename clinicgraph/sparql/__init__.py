"""SPARQL: queries on the embedded store or a remote endpoint, results formats, the
endpoint, and pushing the graph to any SPARQL 1.1 store."""
