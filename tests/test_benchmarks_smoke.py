"""Tiny runs of the benchmark scripts so they cannot rot."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_llm_throughput_benchmark_smoke(tmp_path):
    import llm_throughput

    out = tmp_path / "throughput.md"
    assert llm_throughput.main(["--titles", "6", "--latency", "0.01", "--concurrency", "1", "3", "--out", str(out)]) == 0
    text = out.read_text()
    assert "concurrency" in text and "warm-cache rerun s" in text
    assert text.count("\n|") >= 3


def _run(script: str, *args: str):
    import subprocess

    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, text=True,
                          timeout=1200)


import pytest  # noqa: E402


@pytest.mark.slow
def test_quality_benchmark_smoke(tmp_path):
    out = tmp_path / "benchmarks.md"
    done = _run("quality/run.py", "--n", "150", "--seeds", "1", "--only", "ONS SOC2010", "--no-models",
                "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    for expected in ("## Targets", "shipped default: categories", "KMeans, true k = 9", "KMeans, matched k",
                     "BERTopic defaults (min_topic_size 10)", "previous release", "The sweep's pick",
                     "categories before the outliers step", "whole topics (label.refine_min_gain: null)"):
        assert expected in text
    table = __import__("pandas").read_csv(out.with_suffix(".csv"))
    assert table["ami"].between(-1, 1).all() and table["ari"].between(-1, 1).all()
    assert set(table["truth"]) == {"SOC2010 major", "SOC2010 sub-major"}


@pytest.mark.slow
def test_scale_benchmark_smoke(tmp_path):
    out = tmp_path / "scale.md"
    done = _run("scale/run.py", "--sizes", "smoke,smoke-csv", "--latency", "0.01", "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert "no-op rerun" in text and "+100 contacts" in text and "titles/s" in text
    assert (tmp_path / "scale-time.png").read_bytes()[:4] == b"\x89PNG"
