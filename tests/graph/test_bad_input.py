"""A user's mistake: one line `path:line: what is wrong` on stderr, exit 2, no traceback,
and nothing half-written where the output goes (issue 2, "Bad input").

Every case is a small project folder; the CLI runs from its parent folder, so the
path it names is the one the user typed and can open.
"""

import shutil
from pathlib import Path

import pytest

from conftest import SITE_TOML, run_cli, write_project

CONDITION = "type: MedicalCondition\nname: back spasms\n"
JSONLD_HEAD = '{\n  "@context": "https://schema.org",\n  "@type": "MedicalCondition",\n'

# id: (files, toml, where the error is "file:line[:column]", words the message must hold)
CASES = {
    "malformed-yaml-quote": ({"a.yaml": 'type: MedicalCondition\nname: "back spasms\n'}, SITE_TOML,
                             "site/a.yaml:2:7", "quoted string is not closed"),
    "malformed-yaml-indent": ({"a.yaml": "type: MedicalCondition\n  name: back spasms\n"}, SITE_TOML,
                              "site/a.yaml:2:7", "invalid YAML"),
    "not-utf8": ({"content/a.yaml": CONDITION.encode() + b"description: caf\xe9 au lait\n"}, SITE_TOML,
                 "site/content/a.yaml:3", "UTF-8"),
    "unknown-key": ({"a.yaml": CONDITION + "casue: stress\n"}, SITE_TOML,
                    "site/a.yaml:3", "did you mean 'cause'"),
    "unknown-type": ({"a.yaml": "name: back spasms\ntype: MedicalCondtion\n"}, SITE_TOML,
                     "site/a.yaml:2", "did you mean 'MedicalCondition'"),
    "type-as-key": ({"a.yaml": CONDITION + "MedicalCause: stress\n"}, SITE_TOML,
                    "site/a.yaml:3", "'MedicalCause' is a type"),
    "property-as-type": ({"a.yaml": "name: back spasms\ntype: cause\n"}, SITE_TOML,
                         "site/a.yaml:2", "'cause' is a property"),
    "undefined-id": ({"a.yaml": CONDITION + "cause:\n  - name: strain\n  - {id: \"#nope\"}\n"}, SITE_TOML,
                     "site/a.yaml:5", "https://clinic.example/#nope is referred to"),
    "undefined-id-turtle": ({"a.ttl": "@prefix schema: <http://schema.org/> .\n<#c> a schema:MedicalCondition ;\n"
                             "  schema:cause <#nope> .\n"}, SITE_TOML,
                            "site/a.ttl:3", "#nope is referred to"),
    "broken-turtle": ({"a.ttl": "@prefix schema: <http://schema.org/> .\n<#c> schema:name \"x\" ;\n"
                       "  schema:cause <#nope .\n"}, SITE_TOML, "site/a.ttl:3:16", "invalid Turtle"),
    "broken-ntriples": ({"a.nt": '<http://a.example/> <http://schema.org/name> "x .\n'}, SITE_TOML,
                        "site/a.nt:1:46", "invalid N-Triples"),
    "bad-json": ({"a.jsonld": JSONLD_HEAD + '  "name": "back spasms"\n  "alternateName": "x"\n}\n'}, SITE_TOML,
                 "site/a.jsonld:4:24", "comma is missing"),
    "json-trailing-comma": ({"a.jsonld": JSONLD_HEAD + '  "name": "back spasms",\n}\n'}, SITE_TOML,
                            "site/a.jsonld:4:24", "comma before a closing bracket"),
    "json-nan": ({"a.jsonld": JSONLD_HEAD.replace("MedicalCondition", "AggregateRating") + '  "ratingValue": NaN\n}\n'},
                 SITE_TOML, "site/a.jsonld:4", "NaN"),
    "bad-jsonld": ({"a.jsonld": '{"@context": "https://schema.org", "@id": 5}\n'}, SITE_TOML,
                   "site/a.jsonld", "invalid JSON-LD"),
    "remote-context": ({"a.jsonld": '{\n  "@context": "https://example.org/context.jsonld",\n  "name": "x"\n}\n'},
                       SITE_TOML, "site/a.jsonld:2", "remote context https://example.org/context.jsonld refused"),
    "missing-toml": ({"a.yaml": CONDITION}, None, "site/clinicgraph.toml", "missing clinicgraph.toml"),
    "bad-toml": ({"a.yaml": CONDITION}, '[site\nurl = "https://clinic.example/"\n', "site/clinicgraph.toml:1:6",
                 "invalid TOML"),
    "toml-without-url": ({"a.yaml": CONDITION}, '\n[site]\nname = "Clinic"\n', "site/clinicgraph.toml:2",
                         "[site] has no url"),
    "toml-relative-url": ({"a.yaml": CONDITION}, '[site]\nname = "Clinic"\nurl = "/clinic/"\n',
                          "site/clinicgraph.toml:3", "absolute http(s) URL"),
    "duplicate-key": ({"a.yaml": CONDITION + "name: spasms\n"}, SITE_TOML, "site/a.yaml:3:1", "duplicate key 'name'"),
    "alias": ({"a.yaml": "type: MedicalCondition\nname: &n back spasms\nalternateName: *n\n"}, SITE_TOML,
              "site/a.yaml:2:7", "anchors and aliases"),
    "billion-laughs": ({"a.yaml": "type: MedicalCondition\nname: &a [lol, lol, lol, lol, lol, lol, lol, lol]\n"
                        + "".join(f"alternateName{i}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
                                  for i in range(9))}, SITE_TOML, "site/a.yaml:2:7", "anchors and aliases"),
    "python-tag": ({"a.yaml": CONDITION + 'description: !!python/object/apply:os.system ["touch pwned"]\n'},
                   SITE_TOML, "site/a.yaml:3:14", "YAML tag !!python/object/apply:os.system"),
    "nan-rating": ({"a.yaml": "type: AggregateRating\nbestRating: 5\nratingValue: .nan\n"}, SITE_TOML,
                   "site/a.yaml:3:14", ".nan is not a number"),
    "huge-integer": ({"a.yaml": "type: AggregateRating\nreviewCount: 1" + "0" * 400 + "\n"}, SITE_TOML,
                     "site/a.yaml:2:14", "not a number"),
    "language-not-a-tag": ({"a.yaml": CONDITION + 'description: {"@value": x, "@language": [en]}\n'}, SITE_TOML,
                           "site/a.yaml:3:41", "@language"),
    "two-pages-one-url": ({"pages.yaml": "- type: WebPage\n  id: '#one'\n  url: /same/\n"
                           "- type: MedicalWebPage\n  id: '#two'\n  url: https://clinic.example/same/\n"},
                          SITE_TOML, "site/pages.yaml:6", "two pages claim the url https://clinic.example/same/"),
    "empty-project": ({}, SITE_TOML, "site", "no content files"),
}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line_error(result, where: str, words: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    line = lines[0]
    assert line.startswith(where + ": "), line
    assert words in line, line
    assert result.stdout == ""
    return line


@pytest.fixture(scope="module")
def good_build(example_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "dist"
    result = run_cli("build", example_dir, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("files, toml, where, words", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_line_and_writes_nothing(files, toml, where, words, tmp_path, good_build):
    write_project(tmp_path / "site", files, toml)
    before = sorted(p.name for p in tmp_path.iterdir())

    fresh = run_cli("build", "site", "-o", "dist", cwd=tmp_path)
    assert_one_line_error(fresh, where, words)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no dist, no stray temp folder
    assert not (tmp_path / "site" / "pwned").exists() and not (tmp_path / "pwned").exists()

    shutil.copytree(good_build, tmp_path / "previous")
    earlier = tree(tmp_path / "previous")
    again = run_cli("build", "site", "-o", "previous", cwd=tmp_path)
    assert_one_line_error(again, where, words)
    assert tree(tmp_path / "previous") == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["previous"])


def test_output_under_a_regular_file_is_refused(example_dir, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    result = run_cli("build", example_dir, "-o", "notes.txt/dist", cwd=tmp_path)
    assert_one_line_error(result, "notes.txt", "")
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_output_folder_that_is_not_a_build_is_left_alone(example_dir, tmp_path):
    write_project(tmp_path / "mine", {"index.html": "<p>hand written</p>", "css/site.css": "p{}"}, toml=None)
    before = tree(tmp_path / "mine")
    result = run_cli("build", example_dir, "-o", "mine", cwd=tmp_path)
    assert_one_line_error(result, "mine", "not an earlier clinicgraph build")
    assert tree(tmp_path / "mine") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_output_that_is_a_file_is_refused(example_dir, tmp_path):
    (tmp_path / "dist").write_text("not a folder\n")
    result = run_cli("build", example_dir, "-o", "dist", cwd=tmp_path)
    assert_one_line_error(result, "dist", "")
    assert (tmp_path / "dist").read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_failure_while_writing_leaves_the_earlier_build(good_build, tmp_path):
    """Pages /x and /x.jsonld/ need x.jsonld to be a file and a folder: writing fails midway."""
    write_project(tmp_path / "site", {"pages.yaml": "- type: WebPage\n  id: '#a'\n  url: x\n"
                                                    "- type: WebPage\n  id: '#b'\n  url: x.jsonld/\n"})
    shutil.copytree(good_build, tmp_path / "previous")
    earlier = tree(tmp_path / "previous")
    result = run_cli("build", "site", "-o", "previous", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert tree(tmp_path / "previous") == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["previous", "site"]
