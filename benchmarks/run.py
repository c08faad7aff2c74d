"""The benchmark: clinicgraph's build against the peer pipelines, on a generated site.

    python benchmarks/run.py small            # or medium, large; several at once
    python benchmarks/run.py medium --syntax yaml
    python benchmarks/run.py medium --no-derive   # the build without derivation, to compare

Each measurement runs in its own process, so peak memory is its own. The peers run on
a fixed sample of pages and are extrapolated to the whole site (the table says so).
Prints a table and writes benchmarks/results/<size>.json (<size>-no-derive.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402 (found on the path just set)

CACHE = Path(os.environ.get("CLINICGRAPH_BENCH_CACHE", "/tmp/clinicgraph-bench"))


def child(script: str, *args) -> dict:
    result = subprocess.run(
        [sys.executable, str(HERE / script), *map(str, args)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{script} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def site(size: str, syntax: str) -> Path:
    """The generated site of a size, from the cache if there. A cached site's
    clinicgraph.toml is brought up to the generator's (the content does not depend on
    it, and the large site takes twenty minutes to generate)."""
    folder = CACHE / f"{size}-{syntax}-v2"  # v2: a Turtle file per clinic
    config = folder / "clinicgraph.toml"
    if config.exists() and config.read_text() != generate.config():
        config.write_text(generate.config())
    if not config.exists():
        started = time.perf_counter()
        generate.write(size, folder, as_yaml=syntax == "yaml")
        print(
            f"generated {size} ({syntax}) in {time.perf_counter() - started:.1f} s -> {folder}",
            file=sys.stderr,
        )
    return folder


@contextmanager
def scratch_folders():
    """Where the measurements write: a new folder per run, removed (with any left by
    interrupted runs) only once every measurement of the run is taken.

    Nothing is removed between measurements: on a file system without a journal (ext4
    here) Linux will not reuse an inode freed in the last 60 s, or 360 s once its
    inode table block is written again, and scans past each such inode when it makes
    a file. A build started minutes after another's 300,000 files were removed makes
    its files several times slower, which would measure the removal, not the build."""
    folder = CACHE / f"scratch-{os.getpid()}-{int(time.time())}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        for old in CACHE.glob("scratch-*"):
            shutil.rmtree(old, ignore_errors=True)


def measure(size: str, syntax: str, scratch: Path, flags: tuple[str, ...] = ()) -> dict:
    source = site(size, syntax)
    scratch = scratch / size
    scratch.mkdir()
    build = child("stages.py", source, scratch, *flags)
    rdflib_peer, pyld_peer, floor = (
        child("peers.py", source, which, scratch) for which in ("rdflib", "pyld", "floor")
    )
    end_to_end = child("end_to_end.py", source, scratch, *flags)  # last: its incremental build removes files
    pages = build["pages"]
    ours = build["times"]["export + write"]
    peers = {
        "rdflib": rdflib_peer["parse"] + rdflib_peer["per_page"] * pages,
        "pyld": pyld_peer["per_page"] * pages,
        "floor": floor["total"],
    }
    return {
        "size": size,
        "syntax": syntax,
        "derive": "--no-derive" not in flags,
        "pages": pages,
        "triples": build["triples"],
        "build": build,
        "end_to_end": end_to_end,
        "peers": {"rdflib": rdflib_peer, "pyld": pyld_peer, "floor": floor},
        "export_seconds": {"clinicgraph": ours, **peers},
        "pages_per_second": {
            name: pages / seconds for name, seconds in {"clinicgraph": ours, **peers}.items()
        },
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def targets(result: dict) -> list[dict]:
    """Issue 6's targets that this size measures, each with its figure and whether it is
    met. The export ratios are judged at medium and large: the small site's 510 pages
    are written by one process, in a fifth of a second."""
    pps, e, size = result["pages_per_second"], result["end_to_end"], result["size"]
    found = (
        []
        if size == "small"
        else [
            ("export >= 50x (a) rdflib", pps["clinicgraph"] / pps["rdflib"], ">=", 50, "x"),
            ("export >= 50x (b) pyld", pps["clinicgraph"] / pps["pyld"], ">=", 50, "x"),
            (
                "export within 3x (c) the floor",
                result["export_seconds"]["clinicgraph"] / result["export_seconds"]["floor"],
                "<=",
                3,
                "x",
            ),
        ]
    )
    if size == "large":
        found += [
            ("build end to end < 60 s", e["build_seconds"], "<", 60, " s"),
            ("build peak memory < 1.5 GB", e["build_peak_mb"], "<", 1536, " MB"),
            ("validation < 10 s", result["build"]["times"]["validate"], "<", 10, " s"),
        ]
        if "derive" in result["build"]["times"]:
            found.append(("derivation <= 3 s", result["build"]["times"]["derive"], "<=", 3, " s"))
    if size == "medium":
        found.append(("incremental build --store < 2 s", e["incremental_seconds"], "<", 2, " s"))
    return [
        {
            "target": name,
            "value": round(value, 2),
            "unit": unit.strip(),
            "met": value >= bound if op == ">=" else value <= bound if op == "<=" else value < bound,
            "bound": bound,
        }
        for name, value, op, bound, unit in found
    ]


def target_lines(result: dict) -> list[str]:
    lines = ["  targets:" if result["targets"] else "  targets: judged at medium and large"]
    for target in result["targets"]:
        unit = target["unit"] if target["unit"] == "x" else " " + target["unit"]
        verdict = (
            "met"
            if target["met"]
            else f"MISSED by {abs(target['value'] - target['bound']) / target['bound'] * 100:.0f}%"
        )
        lines.append(f"    {target['target']:<34}{target['value']:>9}{unit:<4} {verdict}")
    return lines


def memory_curve(results: list[dict]) -> str:
    """Peak memory against graph size, for the sizes of this run: it should follow the
    triples (the store), not the pages."""
    parts = [
        f"{r['size']} {r['end_to_end']['build_peak_mb']} MB for {r['triples'] / 1e6:.2f} M triples, "
        f"{r['pages']} pages ({r['end_to_end']['build_peak_mb'] / (r['triples'] / 1e6):.0f} MB per M triples)"
        for r in results
    ]
    return "memory (build peak, largest process): " + "; ".join(parts)


def table(result: dict) -> str:
    b, pps, e = result["build"], result["pages_per_second"], result["end_to_end"]
    total = sum(b["times"].values())
    lines = [
        f"{result['size']}: {result['pages']} pages, {result['triples']} triples ({result['syntax']} sources"
        + ("" if result["derive"] else ", --no-derive")
        + ")",
        "  build stages (s): "
        + ", ".join(f"{k} {v}" for k, v in b["times"].items())
        + f"; total {total:.1f} s; peak {b['peak_mb']} MB",
        "  CPU seconds (user + system, all processes): " + ", ".join(f"{k} {v}" for k, v in b["cpu"].items()),
        f"  clinicgraph build end to end: {e['build_seconds']} s ({e['build_cpu_seconds']} s CPU), "
        f"peak {e['build_peak_mb']} MB "
        f"(largest process); incremental build --store after one clinic file changed: "
        f"{e['incremental_seconds']} s ({e['incremental_cpu_seconds']} s CPU), {e['incremental_pages']} page(s) made again",
        f"  {'export + write (' + str(b['jobs']) + ' processes)':<34}{'pages/s':>10}{'seconds':>10}{'ratio':>10}",
    ]
    for name, label in (
        ("clinicgraph", "clinicgraph"),
        ("rdflib", f"(a) rdflib, {result['peers']['rdflib']['sample']} pages extrapolated"),
        ("pyld", f"(b) pyld, {result['peers']['pyld']['sample']} pages extrapolated"),
        ("floor", "(c) floor: dumps + write, 1 process"),
    ):
        seconds = result["export_seconds"][name]
        ratio = pps["clinicgraph"] / pps[name]
        lines.append(f"  {label:<34}{pps[name]:>10.0f}{seconds:>10.1f}{ratio:>9.1f}x")
    return "\n".join(lines + target_lines(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", choices=generate.SIZES)
    parser.add_argument("--syntax", choices=("turtle", "yaml"), default="turtle")
    parser.add_argument("--no-derive", action="store_true", help="every build without derivation")
    args = parser.parse_args()
    flags = ("--no-derive",) if args.no_derive else ()
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    results = []
    with scratch_folders() as scratch:
        for size in args.sizes:
            result = measure(size, args.syntax, scratch, flags)
            result["targets"] = targets(result)
            (out / f"{size}{'-no-derive' * args.no_derive}.json").write_text(
                json.dumps(result, indent=1) + "\n"
            )
            print(table(result), flush=True)
            results.append(result)
    print(memory_curve(results))


if __name__ == "__main__":
    main()
