"""A reduced fuzzing run in the suite (the large one: `python tests/hardening/fuzz.py
--examples 100000`): YAML content and HTML pages, nothing escapes but ClinicgraphError."""

from fuzz import fuzz


def test_yaml_and_html_entry_points_only_succeed_or_refuse():
    results = fuzz(200, seed=0)
    for name in ("yaml", "html"):
        assert results[name]["tried"] >= 200
        assert results[name]["accepted"] + results[name]["refused"] == results[name]["tried"]
    assert results["yaml"]["accepted"] > 0 and results["yaml"]["refused"] > 0  # both paths exercised
