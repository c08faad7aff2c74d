"""Validation in two processes (the shapes in a forked child) finds what one finds; a
child's error comes back as the error it was; a child left behind is killed."""

from __future__ import annotations

import os
import sys
import time

import pytest
from conftest import REPO

from clinicgraph import checks, pipeline
from clinicgraph.checks.forked import forked
from clinicgraph.core.cpus import usable_cpus
from clinicgraph.core.errors import SourceError

sys.path.insert(0, str(REPO / "benchmarks"))
import generate

USER_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix cg: <urn:clinicgraph:shacl#> .
<#phone> a sh:NodeShape ; cg:rule "local/clinic-fax" ; sh:targetClass schema:MedicalClinic ;
    sh:property [ sh:path schema:faxNumber ; sh:minCount 1 ; sh:severity sh:Violation ;
                  sh:message "A clinic should give a fax number." ] .
"""


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small"))


@pytest.mark.parametrize("which", ["example", "small site", "small site with a user shape"])
def test_two_processes_find_what_one_finds(which, example_dir, small_site, tmp_path):
    shapes = []
    if which.endswith("user shape"):
        (tmp_path / "fax.ttl").write_text(USER_SHAPE, encoding="utf-8")
        shapes = [tmp_path / "fax.ttl"]
    project = pipeline.open_project(example_dir if which == "example" else small_site)
    alone = pipeline.validate(project, shapes, jobs=1)
    assert alone and pipeline.validate(project, shapes, jobs=2) == alone
    if shapes:
        assert any(d.rule == "local/clinic-fax/faxNumber" and d.severity == "error" for d in alone)


def test_an_error_in_the_child_is_raised_as_it_was():
    def fails():
        raise SourceError("cannot read this", "content/a.ttl", 3, 7)

    with forked(fails) as child, pytest.raises(SourceError) as raised:
        child.result()
    assert str(raised.value) == "content/a.ttl:3:7: cannot read this"


def test_a_child_still_running_when_the_parent_fails_is_killed():
    with (
        pytest.raises(RuntimeError, match="the parent's own failure"),
        forked(lambda: time.sleep(600)) as child,
    ):
        pid = child.pid
        raise RuntimeError("the parent's own failure")
    with pytest.raises(ChildProcessError):  # reaped: no such child left
        os.waitpid(pid, os.WNOHANG)


def test_a_large_site_is_validated_in_two_processes_when_there_are_two_cores(small_site, monkeypatch):
    project = pipeline.open_project(small_site)
    assert checks.default_jobs(project) == 1  # 0.6 MB of sources
    monkeypatch.setattr(checks, "PARALLEL_BYTES", 1)
    assert checks.default_jobs(project) == min(2, usable_cpus())
