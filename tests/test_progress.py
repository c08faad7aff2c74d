"""The progress bar shows on an interactive terminal, and only there."""

import os
import pty
import subprocess
import sys

from conftest import run_cli


def run_in_terminal(*args) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; return what it printed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "clinicgraph", *map(str, args)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(controller)
    assert process.returncode == 0, output
    return output.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(example_dir, tmp_path):
    shown = run_in_terminal("build", example_dir, "-o", tmp_path / "dist")
    assert "pages" in shown and "100%" in shown
    assert "built 1 page" in shown


def test_no_progress_bar_in_a_pipe(example_dir, tmp_path):
    result = run_cli("build", example_dir, "-o", tmp_path / "dist")
    assert result.stderr == "" and "100%" not in result.stdout
