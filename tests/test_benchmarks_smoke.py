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
