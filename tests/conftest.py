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
    """One real workflow run on 150 example contacts (+ two XSS titles), LLM = the fake server.

    Yields (workdir, input rows, server, result, dry-run result of a second invocation).
    """
    from workflow_run import XSS_TITLES, example_slice, run_workflow

    workdir = tmp_path_factory.mktemp("run")
    export, rows = example_slice(workdir / "Connections.csv", 150, XSS_TITLES)
    with FakeLLMServer() as server:
        config = {
            "input": str(export),
            "llm": {"base_url": server.base_url, "model": "fake-model", "max_concurrency": 4,
                    "cache_dir": str(workdir / "cache")},
            # A 2 x 2 x 2 sweep (n_neighbors x min_cluster_size x seed) feeding the main model.
            "sweep": {"grid": SMALL_SWEEP_GRID, "selection": {"min_topics": 3}},
        }
        result = run_workflow(workdir, config)
        assert result.returncode == 0, result.stderr[-4000:]
        dry = run_workflow(workdir, config, "-n")
        yield workdir, rows, server, result, dry
