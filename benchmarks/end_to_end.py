"""`clinicgraph build` as a user runs it, on a generated site (run in a child by run.py):

- the full build, ``clinicgraph build SITE -o OUT``: wall time, and peak memory of its
  largest process (the main one or a worker; workers share the store copy on write);
- the incremental build: ``build --store`` once, one clinic's file edited (a page
  renamed), ``build --store`` again: wall time and pages made again.

``--no-derive``: each build so (what a build was before derivation). Prints JSON.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CPU: list[float] = []  # user + system seconds of each run, in order


FLAGS: list[str] = []  # given to every build: --no-derive, or none


def run(*args: str) -> tuple[float, int, str]:
    """Seconds, peak MB (the process and the workers it waited for), stdout; the CPU
    seconds of the process and its workers are added to CPU under the command's name."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "clinicgraph", *args, *FLAGS], stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)  # not Popen.wait: wait4 also gives the rusage
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        CPU.append(round(usage.ru_utime + usage.ru_stime, 2))
        out.seek(0), err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"clinicgraph {' '.join(args)} failed:\n{err.read().decode()}")
        return seconds, round(usage.ru_maxrss / 1024), out.read().decode().strip()


def main(source: Path, scratch: Path) -> dict:
    # the scratch folder is run.py's to remove, once every measurement is taken
    site = scratch / "site"
    shutil.copytree(source, site)
    full, peak, summary = run("build", str(site), "-o", str(scratch / "full"))
    first, _, _ = run("build", str(site), "-o", str(scratch / "out"), "--store", str(scratch / "store"))
    (clinic,) = (site / "content/clinics").glob("k1.*")  # Turtle or YAML
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(
        re.sub(r"Condition 1 at Clinic 1\b", "Sciatica at Clinic 1", text, count=1), encoding="utf-8"
    )
    again, again_peak, again_summary = run(
        "build", str(site), "-o", str(scratch / "out"), "--store", str(scratch / "store")
    )
    made = re.search(r"\((\d+) made again", again_summary)
    return {
        "build_seconds": round(full, 2),
        "build_peak_mb": peak,
        "build_summary": summary,
        "build_cpu_seconds": CPU[0],
        "incremental_cpu_seconds": CPU[2],
        "store_build_seconds": round(first, 2),
        "incremental_seconds": round(again, 2),
        "incremental_peak_mb": again_peak,
        "incremental_pages": int(made[1]) if made else None,
        "incremental_summary": again_summary,
    }


if __name__ == "__main__":
    FLAGS.extend(sys.argv[3:])
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
