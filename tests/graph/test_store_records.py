"""What a store's folder keeps beside the graph (``graph.store_records``): each record
read back is the record written, one that cannot be read is as none, and the load's
fingerprint keeps the bytes earlier versions wrote (the build's name is its digest)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.graph.loaded import Loaded, Note
from clinicgraph.graph.store_records import (
    BUILD_RECORD,
    FINGERPRINT,
    NOTES,
    BuildRecord,
    KnownPage,
    LoadFingerprint,
    Stamp,
    read_notes,
    write_notes,
)

names = st.text(min_size=1, max_size=20)
stamps = st.builds(Stamp, names, st.integers(0, 2**40), st.integers(0, 2**63))
vocabularies = st.one_of(
    st.just(("built-in",)), st.tuples(names, st.integers(0, 2**31), st.integers(0, 2**63))
)
fingerprints = st.builds(
    LoadFingerprint, names, vocabularies, stamps, st.lists(stamps, max_size=5).map(tuple), names
)
optional = st.none() | st.text(max_size=10)
notes = st.builds(
    Note, st.none() | st.integers(1, 10**6), names, st.text(), st.text(), optional, optional, optional
)


@settings(max_examples=50, deadline=None)
@given(fingerprints)
def test_a_fingerprint_reads_back_and_keeps_its_bytes(tmp_path_factory, fingerprint):
    folder = tmp_path_factory.mktemp("store")
    fingerprint.write(folder)
    assert LoadFingerprint.read(folder) == fingerprint
    written = {
        "clinicgraph": fingerprint.version,
        "vocabulary": list(fingerprint.vocabulary),
        "sources": [list(fingerprint.config), *map(list, fingerprint.sources)],
        "derivation": fingerprint.derivation,
    }
    assert (folder / FINGERPRINT).read_text(encoding="utf-8") == json.dumps(written, indent=1) + "\n"


@settings(max_examples=50, deadline=None)
@given(fingerprints, st.data())
def test_unchanged_sources_are_those_stamped_alike_in_the_same_setting(fingerprint, data):
    kept = data.draw(
        st.lists(st.sampled_from(fingerprint.sources), unique=True) if fingerprint.sources else st.just([])
    )
    earlier = LoadFingerprint(fingerprint.version, fingerprint.vocabulary, fingerprint.config, tuple(kept))
    assert fingerprint.unchanged_since(earlier) == {stamp.relpath for stamp in kept}
    assert fingerprint.unchanged_since(None) == set()
    other_config = fingerprint.config._replace(size=fingerprint.config.size + 1)
    assert (
        fingerprint.unchanged_since(
            LoadFingerprint(fingerprint.version, fingerprint.vocabulary, other_config, tuple(kept))
        )
        == set()
    )


@settings(max_examples=50, deadline=None)
@given(names, names, vocabularies, names, st.lists(st.builds(KnownPage, names, names, names), max_size=5))
def test_a_build_record_reads_back(tmp_path_factory, output, build, vocabulary, load, pages):
    folder = tmp_path_factory.mktemp("store")
    record = BuildRecord(output, build, vocabulary, load, tuple(pages))
    record.write(folder)
    assert BuildRecord.read(folder) == record
    BuildRecord.forget(folder)
    assert BuildRecord.read(folder) is None


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(names, st.lists(notes, min_size=1, max_size=3), max_size=4))
def test_notes_read_back_by_file(tmp_path_factory, by_file):
    folder = tmp_path_factory.mktemp("store")
    write_notes(
        folder, [Loaded(relpath, notes=found) for relpath, found in by_file.items()] + [Loaded("quiet.ttl")]
    )
    assert read_notes(folder) == by_file


def test_a_record_cut_short_or_edited_is_as_none(tmp_path):
    fingerprint = LoadFingerprint(
        "1", ("built-in",), Stamp("clinicgraph.toml", 10, 1), (Stamp("a.ttl", 3, 2),)
    )
    fingerprint.write(tmp_path)
    BuildRecord("out", "b", ("built-in",), "d", (KnownPage("n", "u", "s"),)).write(tmp_path)
    write_notes(tmp_path, [Loaded("a.ttl", notes=[Note(1, "r", "m", "h", None, None, "v")])])
    for name, read in (
        (FINGERPRINT, LoadFingerprint.read),
        (BUILD_RECORD, BuildRecord.read),
        (NOTES, read_notes),
    ):
        text = (tmp_path / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text[: len(text) // 2], encoding="utf-8")
        assert read(tmp_path) is None, name
        (tmp_path / name).write_text(
            json.dumps({"pages": [[1]], "sources": [[]], "a.ttl": [[1]]}), encoding="utf-8"
        )
        assert read(tmp_path) is None, name
