"""A real SLURM run: a one-node cluster (munge, slurmctld, slurmd) started by tests/slurm/cluster.sh,
the workflow submitted through snakemake-executor-plugin-slurm with --workflow-profile profiles/slurm,
including a job that asks for a GPU; its outputs must equal a local run's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from workflow_run import ROOT, example_slice, run_workflow

pytestmark = pytest.mark.slow

CLUSTER = ROOT / "tests" / "slurm" / "cluster.sh"
# A small sweep with one job per UMAP space: the sweep scales out as separate SLURM jobs.
SWEEP = {"jobs": 4, "selection": {"min_topics": 2},
         "grid": {"n_neighbors": [5, 10], "min_dist": [0.0], "n_components": [5], "min_cluster_size": [3, 5],
                  "min_samples": [2], "seed": [1, 2]}}
CONFIG = {"enrich": {"mode": "none"}, "label": {"mode": "terms"}, "embed": {"device": "cuda"}, "sweep": SWEEP}
# The test node has 2 CPUs: shrink the profile's per-rule CPU requests so every job fits.
SMALL_NODE = ["--set-resources", "embed:cpus_per_task=1", "embed:cpus_per_gpu=1", "reduce:cpus_per_task=1",
              "enrich:cpus_per_task=1"]


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip("starting SLURM daemons needs root")
    state = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(["bash", str(CLUSTER), "start", str(state)], capture_output=True, text=True, timeout=600)
    assert started.returncode == 0, started.stderr[-2000:]
    yield state
    subprocess.run(["bash", str(CLUSTER), "stop", str(state)], capture_output=True, timeout=60)


def test_workflow_runs_through_sbatch_and_matches_a_local_run(slurm, tmp_path):
    export, _ = example_slice(tmp_path / "Connections.csv", 60)
    config = {"input": str(export), **CONFIG}
    on_slurm, local = tmp_path / "slurm-run", tmp_path / "local-run"
    on_slurm.mkdir()
    local.mkdir()
    env = {**os.environ, "SLURM_CONF": str(slurm / "slurm.conf")}
    command = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(on_slurm),
               "--configfile", str(ROOT / "config" / "config.yaml"), str(on_slurm / "test-config.yaml"),
               "--workflow-profile", str(ROOT / "profiles" / "slurm"), "--slurm-no-account",
               "--slurm-init-seconds-before-status-checks", "1", "--slurm-keep-successful-logs", *SMALL_NODE]
    (on_slurm / "test-config.yaml").write_text(json.dumps(config))
    # The plugin can wait forever on a job it cannot see: a hard time limit keeps CI moving.
    result = subprocess.run(["timeout", "-k", "10", "600", *command], capture_output=True, text=True, env=env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]

    jobs = (slurm / "jobcomp.log").read_text().splitlines()
    completed = [line for line in jobs if "JobState=COMPLETED" in line and f"WorkDir={on_slurm}" in line]
    # choose_fit and stage_fit are local rules: they run in the Snakemake process, not as jobs
    steps = ["ingest", "titles", "enrich", "embed", "occupation_vectors", "occupations", "sweep_neighbors",
             *(f"sweep_batch_{b}" for b in range(4)), "sweep_summary", "reduce", "map_layout", "cluster", "topics", "label",
             "outliers", "place", "assign", "report"]
    assert len(completed) == len(steps), jobs
    job_ids = {}
    for step in steps:
        # the fitted map's steps log one folder deeper, by wildcard (fit_<id>)
        logs = list((on_slurm / ".snakemake" / "slurm_logs" / f"rule_{step}").rglob("*.log"))
        assert logs, step
        job_ids[step] = logs[0].stem
    # Without slurmdbd there is no sacct; scontrol still knows finished jobs (MinJobAge in cluster.sh).
    embed_job = subprocess.run(["scontrol", "show", "job", job_ids["embed"]], capture_output=True, text=True, env=env)
    assert "gres/gpu" in embed_job.stdout or "gpu:1" in embed_job.stdout, embed_job.stdout
    other_job = subprocess.run(["scontrol", "show", "job", job_ids["reduce"]], capture_output=True, text=True, env=env)
    assert "gpu" not in other_job.stdout

    assert run_workflow(local, config).returncode == 0
    slurm_table = pd.read_csv(on_slurm / "results" / "assignments.csv")
    local_table = pd.read_csv(local / "results" / "assignments.csv")
    pd.testing.assert_frame_equal(slurm_table, local_table)
    assert "embedding on the CPU" in (on_slurm / "logs" / "embed.log").read_text()
