"""A missing shared folder stops the run at collection with where the tests looked and how to
set SHARED_DIR, not with a missing-file error deep in an import test."""

import subprocess
import sys

import pytest

from tests.paths import PROJECT_ROOT, SharedDirMissing, shared_dir


def test_a_missing_shared_dir_says_where_it_looked_and_how_to_set_it(tmp_path):
    with pytest.raises(SharedDirMissing) as error:
        shared_dir({"SHARED_DIR": str(tmp_path / "nowhere")})
    message = str(error.value)
    assert str(tmp_path / "nowhere" / "samples") in message
    assert "SHARED_DIR is set to" in message and "set SHARED_DIR" in message


def test_without_shared_dir_it_names_the_folder_beside_the_clone(monkeypatch, tmp_path):
    monkeypatch.setattr("tests.paths.PROJECT_ROOT", tmp_path / "clone")
    with pytest.raises(SharedDirMissing) as error:
        shared_dir({})
    assert str(tmp_path / "shared" / "samples") in str(error.value)
    assert "SHARED_DIR is not set" in str(error.value)


def test_importing_the_paths_fails_at_once_with_that_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import tests.paths"],
        cwd=PROJECT_ROOT,
        env={"SHARED_DIR": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SharedDirMissing" in result.stderr and "set SHARED_DIR" in result.stderr


def test_the_shared_dir_is_found_here():
    assert (shared_dir() / "samples").is_dir()
