"""build --store makes again only the pages a change reaches, and its output is exactly
a full build's: checked after edits of every kind on the synthetic small site."""

import gc
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import REPO

from clinicgraph import pipeline

sys.path.insert(0, str(REPO / "benchmarks"))
import generate

CLINICS, CONDITIONS = generate.SIZES["small"]


@pytest.fixture(scope="module")
def turtle_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small-turtle"))


@pytest.fixture(scope="module")
def yaml_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small-yaml"), as_yaml=True)


@pytest.fixture
def site(turtle_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(turtle_site, copy)
    return copy


def build(site: Path, output: Path, store: Path | None, allow_errors: bool = False):
    project = pipeline.open_project(site, store=store, changes_only=store is not None)
    try:
        return pipeline.build(project, output, jobs=1, allow_errors=allow_errors)
    finally:
        del project
        gc.collect()  # frames kept by exceptions caught inside (rdflib's parser) can hold the store open


def files_of(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None), the build marker aside (its id differs)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
        if path.name != ".clinicgraph-build"
    }


def rebuild_after(
    site: Path, tmp_path: Path, edit, allow_errors: bool = False, pages: int = CLINICS * (CONDITIONS + 1)
) -> int:
    """Build with a store, edit, build again: the second build equals a fresh full
    build, files and findings. Returns how many pages the second build made."""
    store, output = tmp_path / "store", tmp_path / "out"
    assert build(site, output, store, allow_errors).written == pages
    edit(site)
    report = build(site, output, store, allow_errors)
    fresh = build(site, tmp_path / "fresh", None, allow_errors)
    assert report.pages == fresh.pages
    assert files_of(output) == files_of(tmp_path / "fresh")
    assert report.diagnostics == fresh.diagnostics  # the store's remembered findings, brought up to date
    return report.written


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_page_renamed_makes_that_page_alone(site, tmp_path):
    def edit(s):
        return replace(s / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')

    assert rebuild_after(site, tmp_path, edit) == 1


def test_a_clinic_changed_makes_its_pages(site, tmp_path):
    def edit(s):
        return replace(s / "content/clinics/k4.ttl", '"+1-604-555-0004"', '"+1-604-555-9999"')

    assert rebuild_after(site, tmp_path, edit) == CONDITIONS + 1  # its condition pages and its home page


def test_a_clinic_page_renamed_makes_the_pages_whose_breadcrumbs_name_it(site, tmp_path):
    def edit(s):
        page = "<https://network.example/clinics/k2/#webpage> schema:about <https://network.example/clinics/k2#clinic> ;"
        text = (s / "content/clinics/k2.ttl").read_text(encoding="utf-8")
        start = text.index(page)
        name = text.index('schema:name "Clinic 2"', start)
        renamed = text[:name] + 'schema:name "Clinic Two"' + text[name + len('schema:name "Clinic 2"') :]
        (s / "content/clinics/k2.ttl").write_text(renamed, encoding="utf-8")

    assert rebuild_after(site, tmp_path, edit) == CONDITIONS + 1  # its trail's level in each of its pages
    document = (tmp_path / "out/jsonld/clinics/k2/c3.jsonld").read_text(encoding="utf-8")
    assert '"name": "Clinic Two"' in document and "#cg:breadcrumb" in document


SERVICES_RULE = """# each clinic's services page, made from the clinic
CONSTRUCT { ?page a schema:WebPage ; schema:url ?page ; schema:name ?title ; schema:about ?clinic }
WHERE {
  ?clinic a schema:MedicalClinic ; schema:name ?name ; schema:url ?home .
  BIND(IRI(CONCAT(STR(?home), "services/")) AS ?page)
  BIND(CONCAT("Services at ", ?name) AS ?title)
}
"""


def test_a_rule_s_pages_follow_an_edit_of_the_data_they_are_made_from(site, tmp_path):
    (site / "rules").mkdir()
    (site / "rules" / "services.rq").write_text(SERVICES_RULE, encoding="utf-8")

    def edit(s):
        text = (s / "content/clinics/k4.ttl").read_text(encoding="utf-8")
        (s / "content/clinics/k4.ttl").write_text(
            text.replace('"Clinic 4"', '"Clinic Four"'), encoding="utf-8"
        )

    rebuild_after(site, tmp_path, edit, pages=CLINICS * (CONDITIONS + 2))
    services = (tmp_path / "out/jsonld/clinics/k4/services.jsonld").read_text(encoding="utf-8")
    assert '"name": "Services at Clinic Four"' in services


def test_a_rule_runs_again_only_when_the_edit_meets_what_it_reads(site, tmp_path, monkeypatch):
    """The services rule reads types, names and urls: a telephone's edit leaves its
    output as it was (kept, not made again), a name's edit makes it run again; either
    way the build equals a full one (rebuild_after)."""
    from clinicgraph.derive import rules

    (site / "rules").mkdir()
    (site / "rules" / "services.rq").write_text(SERVICES_RULE, encoding="utf-8")
    ran: list[str] = []
    run_rule = rules._run_rule
    monkeypatch.setattr(
        rules, "_run_rule", lambda store, rule, *rest: ran.append(rule.name) or run_rule(store, rule, *rest)
    )

    def phone(s):
        replace(s / "content/clinics/k4.ttl", '"+1-604-555-0004"', '"+1-604-555-9999"')
        ran.clear()

    rebuild_after(site, tmp_path / "phone", phone, pages=CLINICS * (CONDITIONS + 2))
    assert ran == ["services.rq"]  # by the fresh full build alone, not by the incremental one

    def name(s):
        replace(s / "content/clinics/k4.ttl", '"Clinic 4"', '"Clinic Four"')
        ran.clear()

    rebuild_after(site, tmp_path / "name", name, pages=CLINICS * (CONDITIONS + 2))
    assert ran == ["services.rq", "services.rq"]  # the incremental build's, and the full build's


def test_a_condition_changed_makes_its_page_in_every_clinic(site, tmp_path):
    def edit(s):
        return replace(s / "content/conditions.ttl", '"Weakness muscle sprain 3-0"', '"Muscle fatigue 3-0"')

    assert rebuild_after(site, tmp_path, edit) == CLINICS


def test_a_file_removed_removes_its_pages(site, tmp_path):
    assert rebuild_after(site, tmp_path, lambda s: (s / "content/clinics/k9.ttl").unlink()) == 0
    assert not list((tmp_path / "out/jsonld/clinics").glob("k9*"))


def test_a_file_moved_with_a_page_url_changed(site, tmp_path):
    def add(s):
        text = (s / "content/clinics/k9.ttl").read_text(encoding="utf-8")
        (s / "content/clinics/k9.ttl").unlink()
        (s / "content/more.ttl").write_text(
            re.sub(r"clinics/k9/c1/", "clinics/k9/c1-moved/", text), encoding="utf-8"
        )

    assert rebuild_after(site, tmp_path, add) == 1  # the same triples in another file, but one url
    assert not (tmp_path / "out/jsonld/clinics/k9/c1.jsonld").exists()
    assert (tmp_path / "out/jsonld/clinics/k9/c1-moved.jsonld").exists()


def test_yaml_sources_too(yaml_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(yaml_site, site)

    def edit(s):
        return replace(
            s / "content/clinics/k1.yaml", "name: Condition 7 at Clinic 1", "name: Sciatica at Clinic 1"
        )

    assert rebuild_after(site, tmp_path, edit) == 1


URL_CLASHES = {  # (file, old, new): an edit that makes two pages claim one url
    "another file's page url": (
        "content/clinics/k2.ttl",
        "schema:url <https://network.example/clinics/k2/c3/>",
        "schema:url <https://network.example/clinics/k3/c3/>",
    ),
    "it with a fragment": (
        "content/clinics/k2.ttl",
        "schema:url <https://network.example/clinics/k2/c3/>",
        "schema:url <https://network.example/clinics/k3/c3/#top>",
    ),
    "a node made a page": (
        "content/clinics/k2.ttl",
        "a schema:MedicalClinic",
        "a schema:MedicalClinic, schema:WebPage",
    ),
}


@pytest.mark.parametrize("edit", URL_CLASHES, ids=list(URL_CLASHES))
def test_an_edit_that_makes_two_pages_share_a_url_is_refused_as_by_a_full_load(site, tmp_path, edit):
    """After an incremental load only the urls the change claims are looked at."""
    from clinicgraph.core.errors import SourceError

    store = tmp_path / "store"
    build(site, tmp_path / "out", store)
    relpath, old, new = URL_CLASHES[edit]
    replace(site / relpath, old, new)
    with pytest.raises(SourceError) as again:
        build(site, tmp_path / "out", store)
    with pytest.raises(SourceError) as fresh:
        build(site, tmp_path / "fresh", None)
    assert "two pages claim the url" in again.value.message
    assert (again.value.path, again.value.line, again.value.message) == (
        fresh.value.path,
        fresh.value.line,
        fresh.value.message,
    )


def test_a_new_vocabulary_loads_everything_again(site, tmp_path, schemaorg_dir):
    """Which types are pages depends on the vocabulary: another one, and nothing of the
    last load is kept."""
    store = tmp_path / "store"
    build(site, tmp_path / "out", store)
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')
    same = pipeline.open_project(site, store=store, changes_only=True)
    assert same.delta is not None and same.delta.files == {"content/clinics/k2.ttl"}
    del same
    gc.collect()
    other = pipeline.open_project(site, schemaorg=schemaorg_dir, store=store, changes_only=True)
    assert other.delta is None


def test_a_build_it_did_not_write_is_not_trusted(site, tmp_path):
    """The output replaced by another build (without the store): everything is made again."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Renamed"')
    build(site, output, None)
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)


def test_the_configuration_changed_makes_everything(site, tmp_path):
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    replace(site / "clinicgraph.toml", 'name = "Network"', 'name = "The Network"')
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)


def test_the_previous_build_is_untouched_until_the_new_one_replaces_it(site, tmp_path):
    """Carried-over files are hard links: a page made again must be a new file, never the
    previous build's file written through the link."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    keep = tmp_path / "kept"
    shutil.copytree(output, keep, copy_function=os.link)  # links to the old files
    before = files_of(keep)
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Renamed"')
    build(site, output, store)
    assert files_of(keep) == before


def test_a_small_change_updates_the_output_in_place(site, tmp_path):
    """One page changed: its files are new, every other file is the one already there
    (same inode), and no tree of links is made."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    inodes = {path.relative_to(output).as_posix(): path.stat().st_ino for path in output.rglob("*")}
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')
    assert build(site, output, store).written == 1
    changed = {
        name
        for name, inode in inodes.items()
        if (output / name).exists() and (output / name).stat().st_ino != inode
    }
    assert changed == {
        "jsonld/clinics/k2/c3.jsonld",
        "snippets/clinics/k2/c3.html",
        "graph.nt",
        "graph.ttl",
        ".clinicgraph-build",
    }
    assert files_of(output) == files_of(build(site, tmp_path / "fresh", None).output)


@pytest.mark.parametrize("spoil", ["removed", "edited"])
def test_an_update_whose_previous_dumps_were_spoiled_writes_them_whole(site, tmp_path, spoil):
    """The dumps of an update are patched from the previous ones; someone removed those,
    or cut lines from them (the changed triple's among them)."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    for name in ("graph.nt", "graph.ttl"):
        if spoil == "removed":
            (output / name).unlink()
        else:
            lines = (output / name).read_bytes().splitlines(keepends=True)
            (output / name).write_bytes(
                b"".join(line for line in lines if b"Condition 3 at Clinic 2" not in line)
            )
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')
    assert build(site, output, store).written == 1
    assert files_of(output) == files_of(build(site, tmp_path / "fresh", None).output)


def test_an_update_cut_short_is_not_trusted(site, tmp_path, monkeypatch):
    """A failure while the new files are moved into place leaves a marker naming no build:
    the next build replaces the output whole."""
    from clinicgraph.core.errors import OutputError
    from clinicgraph.exporters import update

    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    replace(site / "content/conditions.ttl", '"Weakness muscle sprain 3-0"', '"Muscle fatigue 3-0"')
    real, calls = os.replace, []

    def cut_short(source, destination):
        if str(destination).startswith(str(output)):
            calls.append(destination)
            if len(calls) == 3:  # the marker, one page file, then this
                raise OSError(28, "No space left on device")
        real(source, destination)

    monkeypatch.setattr(update.os, "replace", cut_short)
    with pytest.raises(OutputError, match="No space left on device"):
        build(site, output, store)
    monkeypatch.undo()
    gc.collect()  # the failed build's frames, kept by the exception until collected, hold its store open
    assert "build " not in (output / ".clinicgraph-build").read_text()
    assert not [
        name for name in os.listdir(tmp_path) if "clinicgraph-update" in name
    ]  # its new files removed
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)
    assert files_of(output) == files_of(build(site, tmp_path / "fresh", None).output)


def test_new_files_of_a_killed_update_are_removed_by_the_next_build(site, tmp_path):
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    left = tmp_path / ".out.clinicgraph-update-abcd_123"
    (left / "jsonld").mkdir(parents=True)
    (left / "jsonld/x.jsonld").write_text("{}")
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Renamed"')
    assert build(site, output, store).written == 1
    assert sorted(os.listdir(tmp_path)) == ["out", "site", "store"]


K2 = "content/clinics/k2.ttl"
TEAM = "\tschema:url <https://network.example/team/> ;\n\ta schema:Person ."
FINDING_EDITS = {  # each changes what validation finds (see rebuild_after: compared with a full one)
    "a rating out of range": [
        (K2, 'schema:ratingValue "4.2"^^xsd:double', 'schema:ratingValue "9.2"^^xsd:double')
    ],
    "an unknown property": [(K2, 'schema:inLanguage "en-CA" ;', 'schema:inLanguag "en-CA" ;')],
    "a property outside its domain": [(K2, 'schema:jobTitle "Chiropractor" ;', "schema:bestRating 5 ;")],
    "an empty name": [(K2, 'schema:name "Condition 3 at Clinic 2"', 'schema:name " "')],
    "a type changed": [(K2, "a schema:GeoCoordinates .", "a schema:Place .")],
    "a type unknown": [(K2, "a schema:PostalAddress .", "a schema:PostalAdress .")],
    "a page without lastReviewed": [
        (
            K2,
            'schema:lastReviewed "2026-01-31"^^schema:Date ;\n\tschema:name "Condition 3',
            'schema:name "Condition 3',
        )
    ],
    "a reviewer without a name": [(K2, 'schema:name "Patient 2-0" ;', "")],
    "a duplicate url": [
        (K2, '"Dr Practitioner 2-0" ;\n\ta schema:Person .', '"Dr Practitioner 2-0" ;\n' + TEAM),
        (K2, '"Dr Practitioner 2-1" ;\n\ta schema:Person .', '"Dr Practitioner 2-1" ;\n' + TEAM),
    ],
    "lines moved down": [
        (K2, "@prefix schema: <http://schema.org/> .", "@prefix schema: <http://schema.org/> .\n\n\n")
    ],
    "a condition without description": [
        ("content/conditions.ttl", 'schema:description "', 'schema:alternateName "')
    ],
    "a symptom described": [
        (
            "content/conditions.ttl",
            "a schema:MedicalSymptom .",
            'schema:description "Felt." ;\n\ta schema:MedicalSymptom .',
        )
    ],
    "a javascript: link": [
        (
            K2,
            "schema:url <https://network.example/clinics/k2/c30/>",
            "schema:url <https://network.example/clinics/k2/c30/> ;\n\tschema:image <javascript:alert(1)>",
        )
    ],
    "a rating that is no number": [(K2, 'schema:ratingValue "4.2"^^xsd:double', 'schema:ratingValue "4,2"')],
    "a clinic no longer the site's": [
        (K2, "schema:publisher <https://network.example/clinics/k2#clinic> ;", "")
    ],
}


@pytest.mark.parametrize("edit", list(FINDING_EDITS))
def test_findings_after_an_edit_are_those_of_a_full_validation(site, tmp_path, edit):
    def apply(s):
        for relpath, old, new in FINDING_EDITS[edit]:
            replace(s / relpath, old, new)

    rebuild_after(site, tmp_path, apply, allow_errors=True)


def test_findings_after_an_error_is_fixed_again(site, tmp_path):
    store, output = tmp_path / "store", tmp_path / "out"
    replace(site / K2, 'schema:inLanguage "en-CA" ;', 'schema:inLanguag "en-CA" ;')
    assert any(d.severity == "error" for d in build(site, output, store, allow_errors=True).diagnostics)
    replace(site / K2, 'schema:inLanguag "en-CA" ;', 'schema:inLanguage "en-CA" ;')
    assert build(site, output, store).diagnostics == build(site, tmp_path / "fresh", None).diagnostics


def test_findings_that_only_move_down_are_found_on_their_new_lines(site, tmp_path):
    """Findings of every kind stand in k2.ttl before the edit; the edit only moves lines."""
    for edit in ("an unknown property", "an empty name", "a rating out of range", "a duplicate url"):
        for relpath, old, new in FINDING_EDITS[edit]:
            replace(site / relpath, old, new)
    relpath, old, new = FINDING_EDITS["lines moved down"][0]
    rebuild_after(site, tmp_path, lambda s: replace(s / relpath, old, new), allow_errors=True)


def test_an_edit_runs_again_only_the_rules_it_can_alter(site, tmp_path, monkeypatch):
    from clinicgraph.checks import incremental

    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    ran = []
    real = incremental.query_findings
    monkeypatch.setattr(
        incremental,
        "query_findings",
        lambda project, query, where: ran.append(query.rule.id) or real(project, query, where),
    )
    relpath, old, new = FINDING_EDITS["a symptom described"][0]
    replace(site / relpath, old, new)
    build(site, output, store)
    assert "health/condition-description-missing" in ran  # it reads schema:description
    assert "google/local-business-name-missing" not in ran  # it reads name and types, none changed
    assert 0 < len(ran) < 10  # of 36 queries


def test_the_first_update_parses_no_query(site, tmp_path, monkeypatch):
    """What each SPARQL constraint reads is worked out by the build that fills the store
    (parsing with rdflib costs more than the rest of an update), and kept there."""
    from clinicgraph.graph.query_algebra import Walk

    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    monkeypatch.setattr(Walk, "of", lambda sparql, *_: pytest.fail(f"parsed again: {sparql[:60]}"))
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')
    assert build(site, output, store).written == 1


def test_a_focus_node_a_change_makes_a_target_elsewhere_is_judged(site, tmp_path):
    """k3's rating node, untyped and linked from nothing, is no target of the rating
    rules; a link written in k2 makes it one (sh:targetObjectsOf): its text value,
    in unchanged k3.ttl, is then found."""
    k3, rating = (
        site / "content/clinics/k3.ttl",
        "<https://network.example/clinics/k3#clinic/review-1/reviewRating>",
    )
    replace(k3, f"\tschema:reviewRating {rating} ;\n", "")
    replace(k3, "\tschema:ratingValue 3 ;\n\ta schema:Rating .", '\tschema:ratingValue "3,5" .')
    link = f"\tschema:reviewRating {rating} ;\n\tschema:reviewBody"
    rebuild_after(site, tmp_path, lambda s: replace(s / K2, "\tschema:reviewBody", link), allow_errors=True)
