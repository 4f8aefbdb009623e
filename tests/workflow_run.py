"""Run the real workflow in a scratch folder: shared by the end-to-end and browser tests."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example" / "Connections.csv"
XSS_TITLES = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]
# Spreadsheet formulas (CSV injection): every CSV must show them as text, the report as written.
FORMULA_TITLES = ['=HYPERLINK("evil.example/cv","Data Scientist")', "+SUM(1,1) Analyst", "@cmd", "=1+1"]
# Contact details people type into their headline: ingest removes them, so they reach no output.
HEADLINE_CONTACT_DETAILS = ["dm.me.marker@example.org", "linkedin.com/in/marker-coach-1234"]
CONTACT_TITLES = [f"Recruiter - {HEADLINE_CONTACT_DETAILS[0]}", f"Career Coach ({HEADLINE_CONTACT_DETAILS[1]})"]
UNTRUSTED_TITLES = XSS_TITLES + FORMULA_TITLES + CONTACT_TITLES


def example_slice(path: Path, n_rows: int, extra_positions: list[str] = ()) -> tuple[Path, list[dict]]:
    """The first n_rows people of the bundled example in the exact LinkedIn format (preamble kept),
    plus one person per extra position."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    rows = list(csv.DictReader(io.StringIO("".join(lines[header_at:]))))[:n_rows]
    for number, position in enumerate(extra_positions):
        rows.append({**rows[number], "First Name": f"Extra{number}", "Position": position})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("".join(lines[:header_at]) + out.getvalue() + ",,,,,,\n", encoding="utf-8")
    return path, rows


def run_workflow(workdir: Path, config: dict, *extra: str) -> subprocess.CompletedProcess:
    """Snakemake in workdir with the shipped config, overridden (nested keys merged) by `config`."""
    overrides = workdir / "test-config.yaml"
    overrides.write_text(json.dumps(config))  # JSON is YAML; keeps numbers numbers
    # `extra` (targets, flags) goes before --configfile, which would take every argument after it.
    command = [sys.executable, "-m", "snakemake", *extra, "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
               "--cores", "2", "--configfile", str(ROOT / "config" / "config.yaml"), str(overrides)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def steps_run(snakemake_log: str) -> list[str]:
    """The rules a Snakemake invocation ran, in order, from its log."""
    return re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", snakemake_log, flags=re.M)
