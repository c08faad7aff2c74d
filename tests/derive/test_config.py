"""The ``[derive]`` table of clinicgraph.toml: what it accepts, and each mistake as one
line naming clinicgraph.toml and the line of the mistake."""

from pathlib import Path

import pytest

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.config import load_site
from clinicgraph.graph.derive_config import MIN_MAX_TRIPLES, Derive

SITE = '[site]\nurl = "https://clinic.example/"\nname = "Clinic"\n\n'


def site_of(tmp_path: Path, derive: str):
    """The site of a clinicgraph.toml of [site] and then ``derive`` (before it, if
    ``derive`` is a top-level key)."""
    text = derive + SITE if derive.startswith("derive =") else SITE + derive
    (tmp_path / "clinicgraph.toml").write_text(text, encoding="utf-8")
    return load_site(tmp_path)


def test_everything_is_derived_by_default(tmp_path):
    assert site_of(tmp_path, "").derive == Derive(True, True, True, ())


def test_switches_and_names(tmp_path):
    derive = site_of(
        tmp_path,
        "[derive]\nwiring = false\n\n[derive.breadcrumbs]\n"
        'names = { "/conditions/" = "Conditions", "/" = "Home", "a%20b/" = " A b " }\n',
    ).derive
    assert derive == Derive(True, True, False, (("", "Home"), ("a b/", "A b"), ("conditions/", "Conditions")))
    assert derive.runs("breadcrumbs") and not derive.runs("wiring")


def test_names_as_a_table_of_their_own_and_the_leading_slash_optional(tmp_path):
    derive = site_of(
        tmp_path, '[derive.breadcrumbs.names]\n"conditions/" = "Conditions"\nclinics = "Clinics"\n'
    ).derive
    assert derive.names == (("clinics", "Clinics"), ("conditions/", "Conditions"))


def test_off_switches_every_step_off(tmp_path):
    derive = site_of(tmp_path, "[derive]\nenabled = false\n").derive
    assert not derive.runs("breadcrumbs") and not derive.runs("wiring")
    assert not site_of(tmp_path, "[derive.breadcrumbs]\nenabled = false\n").derive.runs("breadcrumbs")


def test_max_triples_given_or_ten_times_the_sources_with_a_floor(tmp_path):
    assert site_of(tmp_path, "[derive]\nmax-triples = 0\n").derive.max_triples_for(10**6) == 0
    assert site_of(tmp_path, "[derive]\nmax-triples = 5\n").derive.max_triples_for(10**6) == 5
    default = site_of(tmp_path, "").derive
    assert default.max_triples_for(10**6) == 10**7
    assert default.max_triples_for(3) == MIN_MAX_TRIPLES


def test_each_wiring_default_switches_on_its_own(tmp_path):
    derive = site_of(tmp_path, "[derive.wiring]\nis-part-of = false\nin-language = false\n").derive
    assert derive.unwired == ("inLanguage", "isPartOf")
    assert derive.wires("publisher") and not derive.wires("isPartOf") and not derive.wires("inLanguage")
    assert all(site_of(tmp_path, "").derive.wires(prop) for prop in ("isPartOf", "publisher", "inLanguage"))
    for off in (
        "[derive]\nwiring = false\n",
        "[derive.wiring]\nenabled = false\n",
        "[derive]\nenabled = false\n",
    ):
        assert not site_of(tmp_path, off).derive.wires("publisher"), off
    assert site_of(tmp_path, "[derive.wiring]\npublisher = true\n").derive == Derive()


def test_the_derive_table_is_part_of_what_a_site_is(tmp_path):
    """An incremental build compares sites: another [derive] table makes another graph."""
    assert site_of(tmp_path, "[derive]\nwiring = false\n") != site_of(tmp_path, "")


MISTAKES = {
    "unknown setting": (
        "[derive]\nenabled = true\nbreadcrumb = true\n",
        7,
        "[derive] has no setting 'breadcrumb': use enabled, breadcrumbs, wiring, max-triples",
    ),
    "not a table": ("derive = true\n", 1, "[derive] must be a table"),
    "max-triples negative": (
        "[derive]\nmax-triples = -1\n",
        6,
        "[derive] max-triples must be a whole number",
    ),
    "max-triples not a number": ('[derive]\nmax-triples = "1e6"\n', 6, "max-triples must be a whole number"),
    "max-triples a boolean": ("[derive]\nmax-triples = true\n", 6, "max-triples must be a whole number"),
    "wiring not a boolean": ('[derive]\nwiring = "yes"\n', 6, "[derive] wiring must be true or false"),
    "switch not a boolean": ('[derive]\nenabled = "yes"\n', 6, "[derive] enabled must be true or false"),
    "breadcrumbs neither": (
        "[derive]\nbreadcrumbs = 1\n",
        6,
        "[derive] breadcrumbs must be true or false (or a [derive.breadcrumbs] table)",
    ),
    "wiring neither": (
        '[derive]\nwiring = "yes"\n',
        6,
        "[derive] wiring must be true or false (or a [derive.wiring] table)",
    ),
    "unknown wiring setting": (
        "[derive.wiring]\npublisher = false\nisPartOf = false\n",
        7,
        "[derive.wiring] has no setting 'isPartOf': use enabled, is-part-of, publisher, in-language",
    ),
    "wiring switch not a boolean": (
        '[derive.wiring]\nin-language = "en"\n',
        6,
        "[derive.wiring] in-language must be true or false",
    ),
    "wiring enabled not a boolean": (
        "[derive]\nwiring = { enabled = 1 }\n",
        6,
        "[derive.wiring] enabled must be true or false",
    ),
    "unknown breadcrumbs setting": (
        "[derive.breadcrumbs]\nname = {}\n",
        6,
        "[derive.breadcrumbs] has no setting 'name': use enabled, names",
    ),
    "breadcrumbs enabled not a boolean": (
        "[derive.breadcrumbs]\nenabled = 0\n",
        6,
        "[derive.breadcrumbs] enabled must be true or false",
    ),
    "names not a table": (
        '[derive.breadcrumbs]\nnames = ["/conditions/"]\n',
        6,
        '[derive.breadcrumbs] names must be a table of path = "label": '
        'names = { "/conditions/" = "Conditions" }',
    ),
    "a URL": (
        '[derive.breadcrumbs.names]\n"/a/" = "A"\n"https://other.example/b/" = "B"\n',
        7,
        "[derive.breadcrumbs] names: 'https://other.example/b/' is not a path under the site: "
        'write it relative to the site URL, as in "/conditions/"',
    ),
    "a query": ('[derive.breadcrumbs]\nnames = { "/a/?page=2" = "A" }\n', 6, "'/a/?page=2' is not a path"),
    "a fragment": ('[derive.breadcrumbs]\nnames = { "/a/#top" = "A" }\n', 6, "'/a/#top' is not a path"),
    "a dot-dot": ('[derive.breadcrumbs]\nnames = { "/a/../b/" = "A" }\n', 6, "'/a/../b/' is not a path"),
    "host-relative": ('[derive.breadcrumbs]\nnames = { "//other.example/" = "A" }\n', 6, "is not a path"),
    "label not text": (
        '[derive.breadcrumbs.names]\n"/a/" = "A"\n"/b/" = 2\n',
        7,
        "[derive.breadcrumbs] names: the label of '/b/' must be text, not empty",
    ),
    "label empty": (
        '[derive.breadcrumbs.names]\n"/b/" = "  "\n',
        6,
        "the label of '/b/' must be text, not empty",
    ),
    "one path twice": (
        '[derive.breadcrumbs.names]\n"/b/" = "B"\n"b/" = "Bee"\n',
        7,
        "[derive.breadcrumbs] names: 'b/' names the same path as another key",
    ),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_each_mistake_is_one_line_with_its_place(tmp_path, case):
    derive, line, words = MISTAKES[case]
    with pytest.raises(SourceError) as caught:
        site_of(tmp_path, derive)
    error = caught.value
    assert (Path(error.path).name, error.line) == ("clinicgraph.toml", line), str(error)
    assert words in error.message and "\n" not in str(error)
