"""Checks: rules over the graph that produce Diagnostics."""
