"""Finding the release: explicit path, then $CLINICGRAPH_SCHEMAORG, then the user cache."""

import shutil
from pathlib import Path

import pytest

from clinicgraph.core.errors import SourceError
from clinicgraph.vocab.locate import ENV_VAR, cache_dir, find_release
from clinicgraph.vocab.vocabulary import builtin_vocabulary, load_vocabulary

TTL = "schemaorg-current-https.ttl"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No release from the developer's own environment or cache leaks into a test."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_explicit_file(schemaorg_dir):
    assert find_release(schemaorg_dir / TTL) == schemaorg_dir / TTL
    assert find_release(str(schemaorg_dir / "schemaorg-current-https.jsonld")).suffix == ".jsonld"


def test_explicit_folder_prefers_turtle(schemaorg_dir):
    assert find_release(schemaorg_dir) == schemaorg_dir / TTL


def test_missing_explicit_path_names_it(tmp_path):
    missing = tmp_path / "nowhere.ttl"
    with pytest.raises(SourceError) as info:
        find_release(missing)
    assert info.value.path == str(missing)
    assert str(missing) in str(info.value)


def test_folder_without_release(tmp_path):
    with pytest.raises(SourceError, match="no schema.org release file"):
        find_release(tmp_path)


def test_env_var_file_and_folder(monkeypatch, schemaorg_dir):
    monkeypatch.setenv(ENV_VAR, str(schemaorg_dir / TTL))
    assert find_release() == schemaorg_dir / TTL
    monkeypatch.setenv(ENV_VAR, str(schemaorg_dir))
    assert find_release() == schemaorg_dir / TTL


def test_explicit_beats_env(monkeypatch, schemaorg_dir):
    monkeypatch.setenv(ENV_VAR, str(schemaorg_dir / TTL))
    jsonld = schemaorg_dir / "schemaorg-current-https.jsonld"
    assert find_release(jsonld) == jsonld


def test_missing_env_path_raises(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone"))
    with pytest.raises(SourceError, match=ENV_VAR):
        find_release()


def test_cache_dir_follows_xdg(tmp_path):
    assert cache_dir() == tmp_path / "cache" / "clinicgraph" / "schemaorg"


def test_relative_xdg_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == Path(tmp_path) / ".cache" / "clinicgraph" / "schemaorg"


def test_release_in_cache(schemaorg_dir):
    assert find_release() is None  # empty cache: nothing, and no error
    cache_dir().mkdir(parents=True)
    assert find_release() is None
    shutil.copyfile(schemaorg_dir / TTL, cache_dir() / TTL)
    assert find_release() == cache_dir() / TTL


def test_load_without_release_falls_back_to_builtin():
    assert load_vocabulary() is builtin_vocabulary()


def test_load_uses_env_release(monkeypatch, schemaorg_dir):
    monkeypatch.setenv(ENV_VAR, str(schemaorg_dir))
    vocab = load_vocabulary()
    assert vocab.complete
    assert vocab.source == str((schemaorg_dir / TTL).resolve())
