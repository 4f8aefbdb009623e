"""Disk full while writing the LLM cache: a one-line error, every answer cached before it kept, rerun resumes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest



ROOT = Path(__file__).resolve().parents[1]
TITLES = [f"Specialist {number:03d}" for number in range(120)]

# Runs enrich in a child whose files may not grow past `limit` bytes (RLIMIT_FSIZE): a full disk, for that process.
CHILD = r"""
import json, resource, signal, sys
sys.path.insert(0, sys.argv[1])
import pandas as pd
from jobtopics.enrich import enrich_titles
from jobtopics.llm.endpoint import open_endpoint
from jobtopics.step import run_step

config, limit = json.loads(sys.argv[2]), int(sys.argv[3])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead of killing us
if limit:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
titles = pd.DataFrame({"title": config.pop("titles")})
titles["title_key"] = titles["title"].str.lower()

def main():
    with open_endpoint(config, "/dev/null") as endpoint:
        enrich_titles(titles, endpoint, None)

run_step(sys.argv[4], main)
"""


def run_child(llm: dict, limit: int, log: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(ROOT), json.dumps({**llm, "titles": TITLES}), str(limit),
                           str(log)], capture_output=True, text=True, timeout=300)


@pytest.mark.reliability("faults", "disk full while writing the LLM cache")
def test_disk_full_cache_write_is_one_line_and_keeps_earlier_answers(fake_llm, llm_config, tmp_path):
    from jobtopics.llm.cache import AnswerCache

    llm = llm_config(fake_llm.base_url, max_concurrency=1)
    full = run_child(llm, limit=48 * 1024, log=tmp_path / "full.log")
    assert full.returncode == 1
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write to the LLM cache" in lines[0] and "Traceback" not in full.stderr
    cached = len(AnswerCache(Path(llm["cache_dir"]) / "llm-cache.sqlite"))
    assert 0 < cached < len(TITLES)
    asked_before = fake_llm.request_count

    resumed = run_child(llm, limit=0, log=tmp_path / "resumed.log")
    assert resumed.returncode == 0, resumed.stderr
    assert len(AnswerCache(Path(llm["cache_dir"]) / "llm-cache.sqlite")) == len(TITLES)
    # Only the titles not cached were asked again (plus the one whose write failed).
    assert fake_llm.request_count - asked_before <= len(TITLES) - cached
    assert max(fake_llm.served_titles.values()) <= 2 and sum(
        count == 2 for count in fake_llm.served_titles.values()) <= 1
