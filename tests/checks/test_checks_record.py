"""The findings a store keeps of its last validation (``checks.record``): read back as
written when the load and the setting are the ones they judged; else only the
footprints, which depend on a query's text alone."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.record import ChecksRecord, read_record, write_record
from clinicgraph.checks.shacl import Finding
from clinicgraph.graph.query_footprint import Footprint
from clinicgraph.graph.store_records import LoadFingerprint, Stamp

text = st.text(max_size=12)
optional = st.none() | text
diagnostics = st.builds(
    Diagnostic,
    optional,
    st.none() | st.integers(1, 10**6),
    text,
    st.sampled_from(["error", "warning", "info"]),
    text,
    optional,
    optional,
    optional,
    optional,
)
findings = st.builds(Finding, diagnostics, text, st.lists(text, min_size=1, max_size=3).map(tuple))
footprints = st.builds(Footprint, st.none() | st.frozensets(text, max_size=3), st.booleans())
records = st.builds(
    ChecksRecord,
    st.booleans(),
    st.lists(text, max_size=3),
    st.lists(diagnostics, max_size=3),
    st.lists(diagnostics, max_size=3),
    st.dictionaries(text, st.lists(findings, max_size=3), max_size=3),
    st.dictionaries(
        st.tuples(text, optional), st.tuples(optional, st.none() | st.integers(1, 10**6)), max_size=3
    ),
    st.dictionaries(text, footprints, max_size=3),
)
LOAD = LoadFingerprint("1", ("built-in",), Stamp("clinicgraph.toml", 10, 1), (Stamp("a.ttl", 3, 2),))


@settings(max_examples=60, deadline=None)
@given(records)
def test_a_record_reads_back_for_its_load_and_setting(tmp_path_factory, record):
    home = tmp_path_factory.mktemp("store")
    write_record(home, "setting", LOAD, record)
    assert read_record(home, "setting", LOAD) == (record, record.footprints)


@settings(max_examples=20, deadline=None)
@given(records)
def test_another_load_or_setting_keeps_only_the_footprints(tmp_path_factory, record):
    home = tmp_path_factory.mktemp("store")
    write_record(home, "setting", LOAD, record)
    other = LoadFingerprint("1", ("built-in",), LOAD.config, (Stamp("a.ttl", 4, 2),))
    assert read_record(home, "setting", other) == (None, record.footprints)
    assert read_record(home, "another", LOAD) == (None, record.footprints)
    assert read_record(home, "setting", None) == (None, record.footprints)


def test_a_record_cut_short_is_as_none(tmp_path):
    write_record(tmp_path, "setting", LOAD, ChecksRecord(False, [], [], [], {}))
    path = next(tmp_path.glob("*.json"))
    path.write_text(path.read_text(encoding="utf-8")[:-3], encoding="utf-8")
    assert read_record(tmp_path, "setting", LOAD) == (None, {})
