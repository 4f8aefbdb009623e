"""A new machine's first `make run`: a fresh clone, an empty venv, pip's and uv's caches off.

For each installer (`make install INSTALLER=uv`, the default, and `INSTALLER=pip`, the comparison) it clones the
committed HEAD into a temporary folder, times `make install` (the venv, every pinned wheel downloaded, bytecode
compiled, plotly.js fetched) and then `make run` (the workflow on the bundled example; the first run also compiles
UMAP's and pynndescent's numba functions once for the venv), and writes docs/first-run.md.

Run: `make bench-first-run` (~12 min on 2 cores). Standard library only: it runs outside the venv it measures.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 180  # the names issue's "report in ≤ 3 min on 2 cores" for a new machine


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed in {cwd} (exit {done.returncode}); see {log}")
    return time.perf_counter() - started


def folder_megabytes(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def measure(installer: str, workdir: Path) -> dict[str, float | str]:
    clone = workdir / installer
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    # A new machine: nothing in pip's or uv's cache.
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "UV_NO_CACHE": "1"}
    install = timed(["make", "install", f"INSTALLER={installer}"], clone, env, workdir / f"{installer}-install.log")
    run = timed(["make", "run", f"INSTALLER={installer}"], clone, env, workdir / f"{installer}-run.log")
    return {"installer": installer, "install": install, "run": run, "total": install + run,
            "venv_mb": folder_megabytes(clone / ".venv")}


def table(rows: list[dict[str, float | str]], commit: str) -> str:
    lines = [
        "# A new machine's first `make run`",
        "",
        "Written by `benchmarks/first_run.py` (`make bench-first-run`); do not edit by hand.",
        "",
        f"A fresh clone of {commit}, an empty `.venv`, pip's and uv's caches off (`PIP_NO_CACHE_DIR=1`, "
        "`UV_NO_CACHE=1`), then `make install` and `make run` on the bundled example, each timed whole. "
        f"Measured on {date.today().isoformat()}, {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; the two installers one after the other on the same machine.",
        "",
        "| installer | make install (s) | first make run (s) | total (s) | target (s) | .venv (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        met = "met" if row["total"] <= TARGET_SECONDS else "not met"
        lines.append(f"| {row['installer']} | {row['install']:.0f} | {row['run']:.0f} | {row['total']:.0f} | "
                     f"{TARGET_SECONDS} ({met}) | {row['venv_mb']:.0f} |")
    lines += [
        "",
        "`make install` includes creating the venv, pip installing torch (pip's settings choose its build) and, with "
        "uv, uv itself, every other pinned wheel, their bytecode, and fetching plotly.js from npm. `make run` "
        "includes the workflow's first numba compilations. Both installers compile bytecode at install time, so "
        "the first run is the same work after either.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--installers", default="uv,pip", help="comma-separated, in the order they run")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "first-run.md")
    parser.add_argument("--keep", action="store_true", help="keep the clones and logs (printed at the end)")
    args = parser.parse_args()
    if git("status", "--porcelain", "--untracked-files=no"):
        print("note: uncommitted changes are not measured; the clone is of HEAD", file=sys.stderr)
    workdir = Path(tempfile.mkdtemp(prefix="jobtopics-first-run-"))
    try:
        rows = []
        for installer in args.installers.split(","):
            rows.append(measure(installer, workdir))
            print(f"{installer}: install {rows[-1]['install']:.0f} s, run {rows[-1]['run']:.0f} s", file=sys.stderr)
        args.out.write_text(table(rows, git("rev-parse", "--short", "HEAD")))
        print(f"wrote {args.out}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
