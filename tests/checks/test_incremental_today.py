"""A build from an on-disk store keeps its findings for the next one (``checks.incremental``);
the rules about dates are judged again when the day they judge against changes, even when
no source did: yesterday's record says nothing about today's stale hours or reviews."""

import gc
from datetime import date
from pathlib import Path

from clinicgraph import pipeline

CLINIC = """type: MedicalClinic
id: "#clinic"
name: "Westwood Total Health"
url: "https://clinic.example/"
specialOpeningHoursSpecification:
  type: OpeningHoursSpecification
  id: "#holidays"
  opens: "00:00"
  closes: "00:00"
  validFrom: "2026-12-24"
  validThrough: "2026-12-26"
"""
PAGE = """type: MedicalWebPage
id: "conditions/back-spasms/#webpage"
url: "https://clinic.example/conditions/back-spasms/"
name: "Back spasms"
lastReviewed: "2024-12-20"
"""
DATED = {"google/special-hours-past", "health/page-last-reviewed-stale"}


def build(root: Path, output: Path, store: Path | None, today: date) -> set[str]:
    project = pipeline.open_project(root, store=store, changes_only=store is not None)
    try:
        found = pipeline.build(project, output, jobs=1, today=today).diagnostics
    finally:
        del project
        gc.collect()
    return {d.rule for d in found}


def test_the_record_of_yesterday_is_judged_again_today(make_project, tmp_path):
    root = make_project({"clinic.yaml": CLINIC, "page.yaml": PAGE})
    store = tmp_path / "store"
    before = build(root, tmp_path / "out", store, date(2026, 12, 19))
    assert not before & DATED
    # nothing changed but the day: both date rules now find something
    after = build(root, tmp_path / "out", store, date(2026, 12, 27))
    assert after & DATED == DATED
    assert after == build(root, tmp_path / "fresh", None, date(2026, 12, 27))
    # and back: the findings of the later day are not kept either
    assert build(root, tmp_path / "out", store, date(2026, 12, 19)) == before
