"""What reruns a step: a library edit reruns exactly the steps whose scripts import the edited module (and what
follows them); settings that only change how a step runs (timeouts, concurrency, batch size) rerun nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from jobtopics.codeversion import code_version, reached_imports

WORKFLOW_PARTS = ["Snakefile", "rules", "scripts", "jobtopics", "config", "envs", "report", "profiles"]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_imports_are_followed_through_relative_imports_and_parent_packages(tmp_path):
    write(tmp_path / "jobtopics" / "__init__.py", "")
    write(tmp_path / "jobtopics" / "sub" / "__init__.py", "from . import inner\n")
    write(tmp_path / "jobtopics" / "sub" / "inner.py", "import numpy\nfrom ..shared import helper\n")
    write(tmp_path / "jobtopics" / "shared.py", "import json\nfrom .sub import inner  # a cycle\ndef helper(): ...\n")
    write(tmp_path / "jobtopics" / "unused.py", "import torch\n")
    write(tmp_path / "scripts" / "step.py", "import pandas as pd\nfrom jobtopics.sub.inner import something\n")
    reached = reached_imports(tmp_path / "scripts" / "step.py", tmp_path)
    assert {path.relative_to(tmp_path).as_posix() for path in reached.library_files} == {
        "jobtopics/__init__.py", "jobtopics/sub/__init__.py", "jobtopics/sub/inner.py", "jobtopics/shared.py"}
    assert reached.third_party == {"pandas", "numpy"}  # json is the standard library; torch is never reached


def test_version_changes_with_a_reached_module_only(tmp_path):
    write(tmp_path / "jobtopics" / "__init__.py", "")
    write(tmp_path / "jobtopics" / "used.py", "def f(): return 1\n")
    write(tmp_path / "jobtopics" / "unused.py", "def g(): return 1\n")
    script = tmp_path / "scripts" / "step.py"
    write(script, "from jobtopics.used import f\n")
    before = code_version(script, tmp_path)
    write(tmp_path / "jobtopics" / "unused.py", "def g(): return 2\n")
    assert code_version(script, tmp_path) == before
    write(script, "from jobtopics.used import f\nprint(f())\n")
    assert code_version(script, tmp_path) == before, "the script itself is Snakemake's to track"
    write(tmp_path / "jobtopics" / "used.py", "def f(): return 2\n")
    assert code_version(script, tmp_path) != before


def copy_of_the_workflow(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in WORKFLOW_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def edit_cluster_module(workflow: Path) -> None:
    module = workflow / "jobtopics" / "cluster.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n\ndef _edited():\n    return 'a library edit'\n",
                      encoding="utf-8")


def test_editing_cluster_changes_the_version_of_the_steps_that_import_it(tmp_path):
    workflow = copy_of_the_workflow(tmp_path / "workflow")
    scripts = sorted(path.stem for path in (ROOT / "scripts").glob("*.py"))
    before = {name: code_version(workflow / "scripts" / f"{name}.py", workflow) for name in scripts}
    assert before == {name: code_version(ROOT / "scripts" / f"{name}.py", ROOT) for name in scripts}
    edit_cluster_module(workflow)
    changed = {name for name in scripts if code_version(workflow / "scripts" / f"{name}.py", workflow) != before[name]}
    assert changed == {"cluster", "sweep_batch"}


PLANNED_NEVER = {"ingest", "titles", "enrich", "embed", "occupations", "choose_fit", "stage_fit", "sweep_neighbors"}


@pytest.mark.slow
@pytest.mark.reliability("determinism", "library edit (jobtopics/cluster.py) reruns its steps and what follows only")
def test_a_library_edit_plans_the_steps_that_run_it_and_what_follows(finished_run, tmp_path):
    from workflow_run import steps_run

    workdir = tmp_path / "run"
    shutil.copytree(finished_run[0], workdir, symlinks=True)  # keeps mtimes and Snakemake's metadata
    workflow = copy_of_the_workflow(tmp_path / "workflow")
    overrides = workdir / "test-config.yaml"
    json.loads(overrides.read_text())  # the first run's settings, cache included

    def dry_run() -> list[str]:
        command = [sys.executable, "-m", "snakemake", "-n", "-s", str(workflow / "Snakefile"), "--directory",
                   str(workdir), "--cores", "2", "--configfile", str(workflow / "config" / "config.yaml"),
                   str(overrides)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return [step for step in steps_run(done.stdout + done.stderr) if step != "all"]  # the target, not a step

    unedited = set(dry_run())
    # The copy itself changes nothing but the report template's absolute path (an input of report).
    assert unedited <= {"report"}, unedited
    edit_cluster_module(workflow)
    planned = set(dry_run())
    assert {"sweep_batch_0", "sweep_batch_1", "cluster"} <= planned, planned  # they import jobtopics.cluster
    assert {"sweep_summary", "reduce", "map_layout", "topics", "label", "place", "assign", "report"} <= planned, planned
    assert not planned & PLANNED_NEVER, planned



@pytest.mark.slow
@pytest.mark.reliability("determinism", "an upgraded library never stages a fitted map's inputs again")
def test_an_upgraded_library_never_stages_a_maps_inputs_again(finished_run, tmp_path):
    """Staging again would refit the whole map, or stop the run when the map is an earlier run's (its inputs cannot
    be written from this export). A dry run cannot tell: staging sits behind the choose_fit checkpoint."""
    from workflow_run import steps_run

    workdir = tmp_path / "run"
    shutil.copytree(finished_run[0], workdir, symlinks=True)
    workflow = copy_of_the_workflow(tmp_path / "workflow")
    fits = workflow / "jobtopics" / "fits.py"  # imported by choose_fit and stage_fit
    fits.write_text(fits.read_text(encoding="utf-8") + "\n\ndef _edited():\n    return 'an upgrade'\n",
                    encoding="utf-8")
    command = [sys.executable, "-m", "snakemake", "-s", str(workflow / "Snakefile"), "--directory", str(workdir),
               "--cores", "2", "--configfile", str(workflow / "config" / "config.yaml"),
               str(workdir / "test-config.yaml")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    ran = steps_run(done.stdout + done.stderr)
    assert "choose_fit" in ran and "stage_fit" not in ran, ran

@pytest.mark.slow
@pytest.mark.reliability("determinism", "changing llm.timeout_s, llm.max_concurrency or embed.batch_size reruns nothing")
def test_settings_that_do_not_change_results_rerun_nothing(finished_run, tmp_path):
    from workflow_run import run_workflow, steps_run

    workdir = tmp_path / "run"
    shutil.copytree(finished_run[0], workdir, symlinks=True)
    config = json.loads((workdir / "test-config.yaml").read_text())
    config["llm"] = {**config["llm"], "timeout_s": 7, "max_concurrency": 2, "max_retries": 1}
    config["embed"] = {"batch_size": 8}
    done = run_workflow(workdir, config, "-n")
    assert done.returncode == 0, done.stderr[-3000:]
    assert [step for step in steps_run(done.stdout + done.stderr) if step != "all"] == []
    # The same dry run does plan the steps when a setting that changes the answers changes (label sits behind
    # the choose_fit checkpoint, which reruns too, so a dry run cannot list it yet).
    config["llm"]["temperature"] = 0.5
    done = run_workflow(workdir, config, "-n")
    assert {"enrich", "narrative"} <= set(steps_run(done.stdout + done.stderr))
