"""Tests for the fake OpenAI-compatible server used by the workflow tests."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fake_llm_server import FakeLLMServer, classify_title  # noqa: E402

SCRIPT = Path(__file__).parent / "fake_llm_server.py"


def chat_body(data: Any, model: str = "test-model") -> dict:
    """A request shaped like the client's: instructions, then the data as JSON in the last user turn."""
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": "Answer with JSON only."},
            {"role": "user", "content": json.dumps({"job_title": "Example"})},
            {"role": "assistant", "content": '{"description": "An example."}'},
            {"role": "user", "content": f"Data: {json.dumps(data)}"},
        ],
    }


def post(url: str, body: dict, timeout: float = 5.0) -> tuple[int, dict, Any]:
    """POST JSON; return (status, headers, raw bytes) for 2xx, raising HTTPError otherwise."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def chat(server: FakeLLMServer, data: Any, timeout: float = 5.0) -> dict:
    _, _, raw = post(f"{server.base_url}/chat/completions", chat_body(data), timeout)
    return json.loads(raw)


def content_of(completion: dict) -> dict:
    return json.loads(completion["choices"][0]["message"]["content"])


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


def test_models_and_health(server: FakeLLMServer) -> None:
    with urllib.request.urlopen(f"{server.base_url}/models", timeout=5) as response:
        models = json.load(response)
    assert models == {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "fake"}]}
    health_url = server.base_url.removesuffix("/v1") + "/health"
    with urllib.request.urlopen(health_url, timeout=5) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ok"}


def test_description_answer_is_valid_completion(server: FakeLLMServer) -> None:
    completion = chat(server, {"job_title": "Senior Data Scientist"})
    assert completion["object"] == "chat.completion"
    assert completion["model"] == "test-model"
    assert completion["created"] == chat(server, {"job_title": "x"})["created"]
    choice = completion["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    description = content_of(completion)["description"]
    assert "Senior Data Scientist" in description
    assert "data and analytics" in description
    usage = completion["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_answers_are_deterministic(server: FakeLLMServer) -> None:
    first = content_of(chat(server, {"job_title": "Talent Acquisition Partner"}))
    second = content_of(chat(server, {"job_title": "Talent Acquisition Partner"}))
    assert first == second


@pytest.mark.parametrize(("title", "field"), [
    ("Software Engineer", "software engineering"),
    ("Head of Growth", "leadership"),
    ("Technical Recruiter", "human resources"),
    ("Senior Product Manager", "product management"),
    ("PhD Candidate", "research and academia"),
    ("Astronaut", "general professional work"),
])
def test_classify_title(title: str, field: str) -> None:
    assert classify_title(title)[0] == field


def test_labels_and_other_data(server: FakeLLMServer) -> None:
    labelled = chat(server, {"terms": ["machine learning", "python", "sql"], "examples": ["ML Engineer"]})
    assert content_of(labelled) == {"name": "Machine Learning & Python"}
    assert content_of(chat(server, {"terms": []})) == {"name": "Misc"}
    assert content_of(chat(server, {"something": 1})) == {"text": "ok"}
    _, _, raw = post(f"{server.base_url}/chat/completions",
                     {"model": "m", "messages": [{"role": "user", "content": "no json here"}]})
    assert content_of(json.loads(raw)) == {"error": "no data"}


def test_custom_responder() -> None:
    with FakeLLMServer(responder=lambda body: "custom:" + body["model"]) as fake:
        completion = chat(fake, {"job_title": "Nurse"})
    assert completion["choices"][0]["message"]["content"] == "custom:test-model"


def test_fault_429_has_retry_after(server: FakeLLMServer) -> None:
    server.inject("429", retry_after=3)
    with pytest.raises(urllib.error.HTTPError) as caught:
        chat(server, {"job_title": "Nurse"})
    assert caught.value.code == 429
    assert caught.value.headers["Retry-After"] == "3"
    assert json.load(caught.value)["error"]["type"] == "rate_limit_error"
    assert "Nurse" in content_of(chat(server, {"job_title": "Nurse"}))["description"]  # fault used up


@pytest.mark.parametrize("status", ["500", "503"])
def test_fault_server_errors(server: FakeLLMServer, status: str) -> None:
    server.inject(status, times=2)
    for _ in range(2):
        with pytest.raises(urllib.error.HTTPError) as caught:
            chat(server, {"job_title": "Nurse"})
        assert caught.value.code == int(status)
    chat(server, {"job_title": "Nurse"})
    assert server.request_count == 3
    assert server.served_titles == {"Nurse": 1}


def test_fault_malformed_and_garbage(server: FakeLLMServer) -> None:
    server.inject("malformed")
    server.inject("garbage")
    status, _, raw = post(f"{server.base_url}/chat/completions", chat_body({"job_title": "Nurse"}))
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)
    garbage = chat(server, {"job_title": "Nurse"})
    with pytest.raises(json.JSONDecodeError):
        content_of(garbage)
    assert garbage["choices"][0]["message"]["content"].startswith("Sure!")
    assert not server.served_titles


def test_fault_truncated(server: FakeLLMServer) -> None:
    server.inject("truncated")
    with pytest.raises(http.client.IncompleteRead):
        chat(server, {"job_title": "Nurse"})
    chat(server, {"job_title": "Nurse"})  # the server keeps serving afterwards


def test_fault_hang_exceeds_timeout_without_blocking_others(server: FakeLLMServer) -> None:
    server.inject("hang", seconds=1.0)
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        chat(server, {"job_title": "Nurse"}, timeout=0.2)
    # The hung request is still sleeping on the server; a new one must not wait for it.
    chat(server, {"job_title": "Nurse"})
    assert time.monotonic() - started < 0.8


def test_fault_slow_answers_normally(server: FakeLLMServer) -> None:
    server.inject("slow", seconds=0.2)
    started = time.monotonic()
    assert "Nurse" in content_of(chat(server, {"job_title": "Nurse"}))["description"]
    assert time.monotonic() - started >= 0.2


def test_unknown_fault_is_rejected(server: FakeLLMServer) -> None:
    with pytest.raises(ValueError):
        server.inject("explode")
    with pytest.raises(urllib.error.HTTPError) as caught:
        post(server.base_url.removesuffix("/v1") + "/_control/fault", {"fault": "explode"})
    assert caught.value.code == 400


def test_clear_faults(server: FakeLLMServer) -> None:
    server.inject("500", times=3)
    assert server.pending_faults() == 3
    server.clear_faults()
    chat(server, {"job_title": "Nurse"})


def test_control_endpoint_queues_faults(server: FakeLLMServer) -> None:
    control = server.base_url.removesuffix("/v1") + "/_control/fault"
    _, _, raw = post(control, {"fault": "429", "times": 2, "retry_after": 5})
    assert json.loads(raw) == {"queued": 2}
    for _ in range(2):
        with pytest.raises(urllib.error.HTTPError) as caught:
            chat(server, {"job_title": "Nurse"})
        assert caught.value.headers["Retry-After"] == "5"
    chat(server, {"job_title": "Nurse"})


def test_request_counting(server: FakeLLMServer) -> None:
    server.inject("500")
    with pytest.raises(urllib.error.HTTPError):
        chat(server, {"job_title": "Nurse"})
    chat(server, {"job_title": "Nurse"})
    chat(server, {"job_title": "Lawyer"})
    post(server.base_url.removesuffix("/v1") + "/_control/fault", {"fault": "slow", "times": 0})
    assert server.request_count == 3  # chat requests only, the failed one included
    assert len(server.requests) == 4  # every POST, the control call included
    assert server.requests[0] == chat_body({"job_title": "Nurse"})
    assert server.requests[-1] == {"fault": "slow", "times": 0}
    assert server.served_titles == {"Nurse": 1, "Lawyer": 1}


def _concurrent_chats(fake: FakeLLMServer, count: int) -> float:
    threads = [threading.Thread(target=chat, args=(fake, {"job_title": f"T{i}"})) for i in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def test_latency_and_max_parallel() -> None:
    with FakeLLMServer(latency=0.15) as unlimited:
        assert _concurrent_chats(unlimited, 4) < 0.45
    with FakeLLMServer(latency=0.15, max_parallel=1) as serial:
        assert _concurrent_chats(serial, 4) >= 0.6
        assert serial.request_count == 4


def test_stop_ends_a_hang_quickly() -> None:
    fake = FakeLLMServer().start()
    fake.inject("hang", seconds=30)
    worker = threading.Thread(target=lambda: chat(fake, {"job_title": "Nurse"}, timeout=10))
    worker.start()
    while fake.request_count == 0:
        time.sleep(0.01)
    started = time.monotonic()
    fake.stop()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert time.monotonic() - started < 2


def test_cli_writes_port_file_and_log(tmp_path: Path) -> None:
    port_file, log = tmp_path / "port", tmp_path / "requests.jsonl"
    process = subprocess.Popen([sys.executable, str(SCRIPT), "--port", "0", "--port-file", str(port_file),
                                "--log", str(log)])
    try:
        deadline = time.monotonic() + 5
        while not port_file.exists():
            assert process.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        root = f"http://127.0.0.1:{int(port_file.read_text())}"
        post(f"{root}/_control/fault", {"fault": "500"})
        for title in ("Nurse", "Lawyer"):
            try:
                post(f"{root}/v1/chat/completions", chat_body({"job_title": title}))
            except urllib.error.HTTPError as error:
                assert error.code == 500 and title == "Nurse"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert logged == [chat_body({"job_title": "Nurse"}), chat_body({"job_title": "Lawyer"})]
