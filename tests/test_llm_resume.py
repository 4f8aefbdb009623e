"""kill -9 in the middle of enrichment loses at most the requests in flight; the rerun continues."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

N_TITLES = 60
CONCURRENCY = 2
ENRICH_SCRIPT = """
import json, sys
import pandas as pd
from jobtopics.enrich import enrich_titles
from jobtopics.llm.endpoint import open_endpoint
config = json.loads(sys.argv[1])
titles = pd.DataFrame({"title_key": [f"k{i}" for i in range(%d)], "title": [f"Data Engineer {i}" for i in range(%d)]})
with open_endpoint(config, "/dev/null") as endpoint:
    frame, stats = enrich_titles(titles, endpoint, None)
print(json.dumps({"requests": stats.requests, "cache_hits": stats.cache_hits, "llm": int((frame.source == "llm").sum())}))
""" % (N_TITLES, N_TITLES)


def run_enrich(config):
    return subprocess.Popen([sys.executable, "-c", ENRICH_SCRIPT, json.dumps(config)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


@pytest.mark.slow
@pytest.mark.reliability("faults", "SIGKILL of enrich mid-run, rerun: each title asked at most once more")
def test_sigkill_mid_run_then_rerun_asks_each_title_at_most_once_more(llm_config):
    from fake_llm_server import FakeLLMServer

    with FakeLLMServer(latency=0.05) as server:
        config = llm_config(server.base_url, max_concurrency=CONCURRENCY)
        first = run_enrich(config)
        deadline = time.monotonic() + 60
        while sum(server.served_titles.values()) < N_TITLES // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        served_before_rerun = sum(server.served_titles.values())
        assert 0 < served_before_rerun < N_TITLES, "the kill must land mid-run"

        second = run_enrich(config)
        out, _ = second.communicate(timeout=120)
        result = json.loads(out)

    assert result["llm"] == N_TITLES
    assert set(server.served_titles) == {f"Data Engineer {i}" for i in range(N_TITLES)}
    # Answers that arrived before the kill were committed: only requests in flight can be asked twice.
    assert result["cache_hits"] >= served_before_rerun - CONCURRENCY
    assert sum(server.served_titles.values()) <= N_TITLES + CONCURRENCY
    assert max(server.served_titles.values()) <= 2
