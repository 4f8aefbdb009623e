"""Choose and open the LLM endpoint from config: a remote base_url, or the embedded server."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import LLMError, StopRequested
from . import EMBEDDED_MODEL_ID
from .cache import AnswerCache
from .client import JsonChat, LLMSettings
from .local_server import embedded_server


@dataclass(frozen=True)
class Endpoint:
    chat: JsonChat
    cache: AnswerCache
    kind: str  # "embedded" | "remote"
    host: str  # scheme://host:port only, for provenance (never a key or a query string)


def _settings(llm: dict, base_url: str, model: str, api_key: str, response_format: str) -> LLMSettings:
    return LLMSettings(
        base_url=base_url,
        model=model,
        api_key=api_key,
        temperature=llm["temperature"],
        seed=llm["seed"],
        max_tokens=llm["max_tokens"],
        timeout_s=llm["timeout_s"],
        max_retries=llm["max_retries"],
        max_concurrency=llm["max_concurrency"],
        response_format=response_format,
    )


def planned_settings(llm: dict) -> LLMSettings:
    """The settings a run would use (model id included), without starting or contacting anything."""
    model = llm["model"] if llm["base_url"] else EMBEDDED_MODEL_ID
    return _settings(llm, llm["base_url"], model, "", llm["response_format"])


def stop_for_dry_run(llm: dict, would_send: str) -> None:
    """With llm.dry_run, a step that would send requests stops the run instead, saying what it would send."""
    if llm["dry_run"]:
        raise StopRequested(f"dry run (llm.dry_run: true): {would_send}; nothing was sent; "
                            "set llm.dry_run: false to run")


def open_cache(llm: dict) -> AnswerCache:
    return AnswerCache(Path(llm["cache_dir"]) / "llm-cache.sqlite")


@contextlib.contextmanager
def open_endpoint(llm: dict, server_log: str | Path) -> Iterator[Endpoint]:
    """Yield a ready endpoint for the `llm` config section; stop the embedded server afterwards.

    The API key is read here, from the environment variable the config names,
    and is never passed around as a Snakemake param, logged or written.
    """
    cache = open_cache(llm)
    try:
        if llm["base_url"]:
            api_key = os.environ.get(llm["api_key_env"], "") if llm["api_key_env"] else ""
            if not llm["model"]:
                raise LLMError("config key llm.model must name the model when llm.base_url is set")
            settings = _settings(llm, llm["base_url"], llm["model"], api_key, llm["response_format"])
            chat = JsonChat(settings)
            chat.check_endpoint()
            parts = urlsplit(llm["base_url"])
            yield Endpoint(chat, cache, "remote", f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}")
        else:
            local = llm["local"]
            response_format = "llamacpp" if llm["response_format"] == "auto" else llm["response_format"]
            with embedded_server(server_log, threads=local["threads"], n_ctx=local["n_ctx"], seed=llm["seed"],
                                 device=local["device"]) as base_url:
                settings = _settings(llm, base_url, EMBEDDED_MODEL_ID, "", response_format)
                yield Endpoint(JsonChat(settings), cache, "embedded", "embedded llama.cpp (127.0.0.1)")
    finally:
        cache.close()


@contextlib.contextmanager
def open_cached_answers(llm: dict) -> Iterator[Endpoint]:
    """An endpoint that is never contacted, for a dry run whose questions are all in the answer cache: no server is
    started and no request (not even the endpoint check) is sent."""
    cache = open_cache(llm)
    try:
        yield Endpoint(JsonChat(planned_settings(llm)), cache, "cache only", "none (every answer was cached)")
    finally:
        cache.close()


def estimated_cost(llm: dict, prompt_tokens: int, completion_tokens: int) -> float:
    """Cost in the currency of the configured per-million-token prices (0 for the embedded model)."""
    prices = llm["price_per_million_tokens"]
    return (prompt_tokens * prices["input"] + completion_tokens * prices["output"]) / 1_000_000


def describe_usage(endpoint: Endpoint, llm: dict, stats) -> dict:
    """What a batch of LLM calls cost, for the report's provenance (no key, no request contents)."""
    return {
        "endpoint": endpoint.kind,
        "host": endpoint.host,
        "model": endpoint.chat.settings.model,
        **stats.as_dict(),
        "estimated_cost": round(estimated_cost(llm, stats.prompt_tokens, stats.completion_tokens), 6),
        "price_per_million_tokens": dict(llm["price_per_million_tokens"]),
    }
