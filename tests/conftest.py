"""Shared fixtures: the repository root, the fake LLM server, example exports with quirks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_llm_server import FakeLLMServer  # noqa: E402

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


@pytest.fixture
def fake_llm():
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def llm_config(tmp_path):
    """The llm config section as the workflow passes it (defaults of config/schema.yaml)."""

    def make(base_url: str = "", **overrides):
        config = {
            "base_url": base_url,
            "model": "fake-model",
            "api_key_env": "JOBTOPICS_TEST_KEY",
            "temperature": 0.0,
            "seed": 42,
            "max_tokens": 120,
            "timeout_s": 5,
            "max_retries": 2,
            "max_concurrency": 4,
            "max_requests": None,
            "dry_run": False,
            "response_format": "auto",
            "cache_dir": str(tmp_path / "cache"),
            "price_per_million_tokens": {"input": 1.0, "output": 2.0},
            "local": {"threads": 1, "n_ctx": 2048, "device": "cpu"},
        }
        config.update(overrides)
        return config

    return make


def write_export(path: Path, rows: list[str], preamble: str = PREAMBLE, header: str = HEADER,
                 newline: str = "\n", encoding: str = "utf-8") -> Path:
    text = preamble + header + "".join(row + "\n" for row in rows)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


SMALL_SWEEP_GRID = {"n_neighbors": [5, 10], "min_dist": [0.0], "n_components": [5], "min_cluster_size": [3, 5],
                    "min_samples": [2], "seed": [1, 2]}


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory):
    """One real workflow run on 150 example contacts (+ XSS and spreadsheet-formula titles), LLM = the fake server.

    Yields (workdir, input rows, server, result, dry-run result of a second invocation).
    """
    from workflow_run import UNTRUSTED_TITLES, example_slice, run_workflow

    workdir = tmp_path_factory.mktemp("run")
    export, rows = example_slice(workdir / "Connections.csv", 150, UNTRUSTED_TITLES)
    with FakeLLMServer() as server:
        config = {
            "input": str(export),
            "llm": {"base_url": server.base_url, "model": "fake-model", "max_concurrency": 4,
                    "cache_dir": str(workdir / "cache")},
            # A 2 x 2 x 2 sweep (n_neighbors x min_cluster_size x seed) feeding the main model.
            "sweep": {"grid": SMALL_SWEEP_GRID, "selection": {"min_topics": 3}},
            "report": {"narrative": "llm"},
        }
        result = run_workflow(workdir, config)
        assert result.returncode == 0, result.stderr[-4000:]
        dry = run_workflow(workdir, config, "-n")
        yield workdir, rows, server, result, dry


# Reliability table: tests marked @pytest.mark.reliability(area, case) are summarised in a Markdown table under
# test-artifacts/ (tests never rewrite tracked files; `make reliability-doc` copies it to docs/reliability.md).
# `case` defaults to the parametrize id (or the test name). Only a full run of the suite writes
# test-artifacts/reliability.md; any other run (one file, -k, a node id, deselected marked tests, -x/--maxfail
# stops, an interrupted run) writes test-artifacts/reliability-partial.md, so a partial table never reaches docs/.

ARTIFACTS = ROOT / "test-artifacts"
RELIABILITY_TABLE = ARTIFACTS / "reliability.md"
PARTIAL_RELIABILITY_TABLE = ARTIFACTS / "reliability-partial.md"
_reliability: dict[str, dict[str, str]] = {}  # nodeid -> area, case, outcome
_reliability_deselected: list[str] = []


def _reliability_case(item) -> tuple[str, str] | None:
    area = case = None
    for mark in item.iter_markers("reliability"):  # closest first: a function's mark overrides the module's
        area = area or mark.kwargs.get("area", mark.args[0] if mark.args else None)
        case = case or mark.kwargs.get("case", mark.args[1] if len(mark.args) > 1 else None)
    if area is None:
        if item.get_closest_marker("reliability") is None:
            return None
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.reliability needs an area")
    if case is None:
        case = item.callspec.id if hasattr(item, "callspec") else item.name
    return str(area), str(case)


def pytest_collection_modifyitems(items):
    # user_properties travel with every report (also from xdist workers), unlike the item itself.
    for item in items:
        found = _reliability_case(item)
        if found:
            item.user_properties.append(("reliability", found))


def pytest_deselected(items):
    _reliability_deselected.extend(item.nodeid for item in items if item.get_closest_marker("reliability"))


def pytest_runtest_logreport(report):
    found = dict(report.user_properties).get("reliability")
    if not found:
        return
    area, case = found
    entry = _reliability.setdefault(report.nodeid, {"area": area, "case": case, "outcome": "passed"})
    # setup/teardown count only when they did not pass; a failure in any phase wins.
    if entry["outcome"] != "failed" and (report.when == "call" or report.outcome != "passed"):
        entry["outcome"] = report.outcome


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not _reliability or hasattr(config, "workerinput") or int(exitstatus) not in (0, 1):
        return
    # Only the full suite that `make test` runs gives the whole table (a run of one file would shrink it).
    whole_suite = all(Path(str(arg)).resolve() == ROOT / "tests" for arg in config.args) or not config.args
    subset = (
        not whole_suite
        or bool(config.getoption("keyword"))
        or bool(config.getoption("markexpr"))
        or any("::" in str(arg) for arg in config.args)
        or bool(_reliability_deselected)
        or bool(session.shouldfail or session.shouldstop)
    )
    target = PARTIAL_RELIABILITY_TABLE if subset else RELIABILITY_TABLE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reliability_markdown(_reliability.values()), encoding="utf-8", newline="\n")


def reliability_markdown(entries) -> str:
    """The table, sorted and free of timestamps so that an unchanged run leaves the file unchanged."""

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    rows = sorted((entry["area"], entry["case"], entry["outcome"]) for entry in entries)
    outcomes = ("passed", "failed", "skipped")
    lines = [
        "Generated from the tests marked `reliability` (hooks in tests/conftest.py) by `make test` followed by "
        "`make reliability-doc`; do not edit by hand.",
        "",
        "# Reliability",
        "",
        "Each case is one test marked `@pytest.mark.reliability(area, case)`. Areas: *bad input* passes when the "
        "input ends in either a clear one-line error (naming the file, and the row, column or key where it "
        "applies) or exactly the expected result; *faults* (LLM endpoint errors, a full disk, SIGKILL) when "
        "the run stops with one clear line or recovers, losing no finished work; *privacy* and *security* when "
        "no marker string, name, e-mail, URL or key appears in any output, log, cache or LLM request, and "
        "untrusted titles stay data; *determinism* when repeated or reordered runs give identical results.",
        "",
        "## Summary",
        "",
        "| area | cases tried | passed | failed | skipped |",
        "|---|---:|---:|---:|---:|",
    ]
    for area in sorted({row[0] for row in rows}):
        counts = [sum(1 for row in rows if row[0] == area and row[2] == outcome) for outcome in outcomes]
        tried = sum(1 for row in rows if row[0] == area)
        lines.append(f"| {cell(area)} | {tried} | " + " | ".join(map(str, counts)) + " |")
    totals = [sum(1 for row in rows if row[2] == outcome) for outcome in outcomes]
    lines.append(f"| **all** | {len(rows)} | " + " | ".join(map(str, totals)) + " |")
    lines += ["", "## Cases", "", "| area | case | outcome |", "|---|---|---|"]
    lines += [f"| {cell(area)} | {cell(case)} | {outcome} |" for area, case, outcome in rows]
    return "\n".join(lines) + "\n"
