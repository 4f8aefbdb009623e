"""The workflow under SIGKILL, with shuffled rows and marker PII: nothing lost, nothing leaked, same answer.

One run is killed (the whole Snakemake process group, SIGKILL) inside several steps in turn, then finished.
Its input is the end-to-end run's input with the rows shuffled and every name, e-mail and profile URL replaced
by a unique marker string; the API key is a marker too. The finished outputs must equal the uninterrupted
run's (per title: topic, category, map coordinates), the LLM must have been asked about each title once
(apart from requests in flight at the moment of a kill), and no marker may appear in any file or request.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import SMALL_SWEEP_GRID
from fake_llm_server import FakeLLMServer
from workflow_run import ROOT

pytestmark = pytest.mark.slow

API_KEY = "sk-test-KEYMARKER-7f3a9c"
KEY_ENV = "JOBTOPICS_MARKER_KEY"
# Every step, in workflow order. Each kill comes a random 0-0.1 s after the script of a step not yet hit started
# running, and the test checks from the process list which steps were running when the kill came.
KILL_IN = ["ingest", "titles", "enrich", "embed", "choose_fit", "stage_fit", "occupation_vectors", "occupations",
           "sweep_neighbors", "sweep_batch_0", "sweep_summary", "reduce", "map_layout", "cluster", "topics", "label",
           "outliers", "place", "assign", "report"]
# Steps this run's configuration leaves out (report.narrative is off).
NOT_IN_THIS_RUN = {"narrative"}
CONCURRENCY = 4


def marked_shuffled_copy(source: Path, target: Path, seed: int) -> list[str]:
    """The source export with rows shuffled and PII replaced by markers; returns the markers."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    rows = [row for row in csv.DictReader(io.StringIO("".join(lines[header_at:]))) if any(row.values())]
    random.Random(seed).shuffle(rows)
    markers = []
    for number, row in enumerate(rows):
        marks = {"First Name": f"Qzfirst{number:04d}", "Last Name": f"Qzlast{number:04d}",
                 "URL": f"https://www.linkedin.com/in/qzurl{number:04d}",
                 "Email Address": f"qzmail{number:04d}@example.org"}
        row.update(marks)
        markers += list(marks.values())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text("".join(lines[:header_at]) + out.getvalue(), encoding="utf-8")
    return markers


def snakemake_command(workdir: Path, config_path: Path) -> list[str]:
    return [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
            "--cores", "2", "--configfile", str(ROOT / "config" / "config.yaml"), str(config_path)]


# The script each step runs, where its name differs from the step's.
SCRIPT_OF = {"sweep_batch_0": "sweep_batch"}
# Snakemake runs a rule's script as .snakemake/scripts/tmp<random>.<script>.py.
RULE_SCRIPT = re.compile(rb"[/\\]\.snakemake[/\\]scripts[/\\]tmp\w+\.(\w+)\.py$")


def running_scripts(group: int) -> set[str]:
    """The rule scripts running right now in the process group (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != group:
                continue
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        found |= {match.group(1).decode() for match in map(RULE_SCRIPT.search, arguments) if match}
    return found


def kill_while_running(command: list[str], env: dict, targets: set[str], delay: float) -> set[str] | None:
    """Start the workflow and, `delay` s after the script of one of `targets` started running, SIGKILL its whole
    process group.

    Returns the scripts running at the moment of the kill (read from the process list just before it), or None
    if the workflow finished without running any target (nothing left to kill)."""
    # A killed Snakemake leaves its lock behind; `--unlock` is the documented way back (see README).
    subprocess.run([*command, "--unlock"], env=env, capture_output=True, check=True)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 600
    while not running_scripts(process.pid) & targets:
        if process.poll() is not None:
            return None
        assert time.monotonic() < deadline, f"none of {sorted(targets)} ran"
        time.sleep(0.01)
    time.sleep(delay)
    running = running_scripts(process.pid)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        running = set()  # the run ended within the delay: then there was nothing left to interrupt
    process.wait()
    return running


@pytest.fixture(scope="module")
def interrupted_run(finished_run, tmp_path_factory):
    reference_dir = finished_run[0]
    workdir = tmp_path_factory.mktemp("interrupted")
    export = workdir / "Connections.csv"
    markers = marked_shuffled_copy(reference_dir / "Connections.csv", export, seed=3)
    rng = random.Random(11)
    with FakeLLMServer(latency=0.05) as server:
        config = {
            "input": str(export),
            "llm": {"base_url": server.base_url, "model": "fake-model", "max_concurrency": CONCURRENCY,
                    "cache_dir": str(workdir / "cache"), "api_key_env": KEY_ENV},
            "sweep": {"grid": SMALL_SWEEP_GRID, "selection": {"min_topics": 3}},
        }
        config_path = workdir / "test-config.yaml"
        config_path.write_text(json.dumps(config))
        env = {**os.environ, KEY_ENV: API_KEY}
        command = snakemake_command(workdir, config_path)
        # Kill, resume, kill again: each time as soon as a step not yet hit runs, until every step has been
        # running at a kill or the workflow finishes. Steps run in the order the scheduler picks (place may run
        # beside topics), so the targets are a set, not a sequence.
        kills = []  # the scripts running at each kill
        targets = {SCRIPT_OF.get(step, step) for step in KILL_IN}
        while targets - set().union(*kills):
            running = kill_while_running(command, env, targets - set().union(*kills), rng.uniform(0, 0.1))
            if running is None:
                break
            kills.append(running)
            assert len(kills) <= 2 * len(KILL_IN), kills
        subprocess.run([*command, "--unlock"], env=env, capture_output=True, check=True)
        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        assert finished.returncode == 0, finished.stderr[-4000:]
        yield workdir, reference_dir, server, markers, kills


def per_title(workdir: Path) -> pd.DataFrame:
    table = pd.read_csv(workdir / "results" / "assignments.csv")
    table = table[table["title"].notna()]
    return (table[["title", "topic", "category", "x", "y"]].drop_duplicates()
            .sort_values("title", kind="stable").reset_index(drop=True))


def test_the_kill_list_has_every_step_script():
    scripts = {path.stem for path in (ROOT / "scripts").glob("*.py")}
    assert scripts - NOT_IN_THIS_RUN == {SCRIPT_OF.get(step, step) for step in KILL_IN}


@pytest.mark.reliability("faults", "SIGKILL of the whole workflow while each of its 19 steps was running")
def test_every_step_was_running_at_one_of_the_kills(interrupted_run):
    *_, kills = interrupted_run
    # Seen in the process list at the moment of a kill: the step itself was running, not one already finished.
    hit = set().union(*kills)
    missed = [step for step in KILL_IN if SCRIPT_OF.get(step, step) not in hit]
    assert not missed, (missed, kills)


@pytest.mark.reliability("determinism", "killed + resumed run on shuffled rows equals a clean run")
def test_outputs_equal_an_uninterrupted_run_on_unshuffled_rows(interrupted_run):
    workdir, reference_dir, *_ = interrupted_run
    pd.testing.assert_frame_equal(per_title(workdir), per_title(reference_dir))
    fit = json.loads((workdir / "results" / "fit" / "current.json").read_text())
    reference_fit = json.loads((reference_dir / "results" / "fit" / "current.json").read_text())
    assert fit == reference_fit  # same title set, same settings: the same fitted map id
    for table in ("topics/topics.parquet", "label/categories.parquet", "sweep/settings.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(workdir / "results" / "fit" / fit["fit"] / table),
                                      pd.read_parquet(reference_dir / "results" / "fit" / fit["fit"] / table), obj=table)


@pytest.mark.reliability("faults", "after the kills: LLM asked once per title (+ in-flight)")
def test_llm_asked_once_per_title_apart_from_requests_in_flight_at_the_kill(interrupted_run):
    workdir, _, server, *_ = interrupted_run
    titles = pd.read_parquet(workdir / "results" / "titles" / "titles.parquet")
    assert set(server.served_titles) == set(titles["title"])
    asked_twice = sum(count - 1 for count in server.served_titles.values())
    assert asked_twice <= CONCURRENCY  # one kill landed in enrich: at most its in-flight requests repeat


@pytest.mark.reliability("privacy", "marker PII and API key absent from results, logs, cache, .snakemake, requests")
def test_no_marker_and_no_key_in_any_file_or_request(interrupted_run):
    workdir, _, server, markers, _ = interrupted_run
    secrets = [*markers, API_KEY]
    scanned = [path for folder in ("results", "logs", "cache", ".snakemake") for path in (workdir / folder).rglob("*")
               if path.is_file()]
    assert any(".snakemake" in str(path) for path in scanned)
    leaks = []
    for path in scanned:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        leaks += [(str(path.relative_to(workdir)), secret) for secret in secrets if secret in text]
    bodies = json.dumps(server.requests, ensure_ascii=False)
    leaks += [("LLM request bodies", secret) for secret in secrets if secret in bodies]
    assert not leaks[:10]
