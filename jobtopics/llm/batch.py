"""Ask many questions at once: cache first, bounded concurrency, progress, budget, accounting."""

from __future__ import annotations

import logging
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field

import openai
from tqdm import tqdm

from ..errors import LLMError
from .cache import AnswerCache, cache_key
from .client import Answer, JsonChat, LLMSettings, UnreadableResponse, refusal_message

log = logging.getLogger(__name__)

# Consecutive requests that failed even after the client's retries: the endpoint is down, stop.
MAX_CONSECUTIVE_FAILURES = 5


@dataclass(frozen=True)
class Question:
    data: dict  # the only thing about the input that goes to the LLM (e.g. {"job_title": ...})
    messages: list[dict] = field(hash=False)


@dataclass
class BatchStats:
    questions: int = 0
    cache_hits: int = 0
    requests: int = 0
    answered: int = 0
    invalid: int = 0
    failed: int = 0
    skipped_budget: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    # Responses without token counts: the tokens and cost above leave them out (shown so that a cost of 0 is not
    # read as free).
    responses_without_token_counts: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def plan(cache: AnswerCache, questions: list[Question], settings: LLMSettings,
         prompt_hash: str) -> tuple[list[str], dict[int, dict | None], list[int]]:
    """Cache keys, the cached answers by question index, and the indices still to ask.

    Identical questions are asked once: only the first of them is pending.
    """
    keys = [cache_key(settings.model, prompt_hash, settings.cache_params(), q.data) for q in questions]
    cached: dict[int, dict | None] = {}
    pending: list[int] = []
    queued: set[str] = set()
    for index, key in enumerate(keys):
        hit = cache.get(key)
        if hit is not None:
            cached[index] = hit.get("data")
        elif key not in queued:
            queued.add(key)
            pending.append(index)
    return keys, cached, pending


def ask_all(
    chat: JsonChat,
    cache: AnswerCache,
    questions: list[Question],
    *,
    schema: dict,
    schema_name: str,
    prompt_hash: str,
    max_requests: int | None = None,
    describe: str = "LLM",
) -> tuple[list[dict | None], BatchStats]:
    """Answers in question order (None = invalid or not asked) and what it took.

    Each answer is written to the cache as soon as it arrives, so an interrupted
    run resumes where it stopped. Invalid answers are cached too: asking the
    same model the same question again would only spend money on the same answer.
    """
    settings = chat.settings
    stats = BatchStats(questions=len(questions))
    keys, cached, pending = plan(cache, questions, settings, prompt_hash)
    stats.cache_hits = len(cached)
    answers: list[dict | None] = [cached.get(index) for index in range(len(questions))]
    first_index = {keys[index]: index for index in pending}
    if max_requests is not None and len(pending) > max_requests:
        stats.skipped_budget = len(pending) - max_requests
        log.warning("llm.max_requests=%d: asking %d of %d uncached questions; rerun to continue",
                    max_requests, max_requests, len(pending))
        pending = pending[:max_requests]
    log.info("%s: %d questions, %d cached, %d to ask", describe, len(questions), stats.cache_hits, len(pending))

    consecutive_failures = 0
    bar = tqdm(total=len(pending), desc=describe, unit="q", file=sys.stderr, mininterval=2.0, dynamic_ncols=False)

    def keep(index: int, answer: Answer) -> None:
        stats.requests += answer.requests
        stats.prompt_tokens += answer.prompt_tokens
        stats.completion_tokens += answer.completion_tokens
        stats.responses_without_token_counts += answer.without_usage
        if answer.data is None:
            stats.invalid += 1
            log.info("%s: invalid answer kept as fallback: %r", describe, answer.raw[:120])
        else:
            stats.answered += 1
        cache.put(keys[index], settings.model, {"data": answer.data}, answer.prompt_tokens, answer.completion_tokens)
        answers[index] = answer.data

    def stop(running: dict[Future, int], message: str) -> LLMError:
        """Cancel what has not started; keep (and cache) the answers of requests already in flight: they are
        paid for."""
        for other in running:
            other.cancel()
        for other, index in running.items():
            if not other.cancelled() and other.exception() is None:
                keep(index, other.result())
        bar.close()
        return LLMError(message)

    with ThreadPoolExecutor(max_workers=max(1, settings.max_concurrency)) as pool:
        queue = iter(pending)
        running: dict[Future, int] = {}

        def submit_next() -> None:
            index = next(queue, None)
            if index is not None:
                running[pool.submit(chat.ask, questions[index].messages, schema, schema_name)] = index

        for _ in range(max(1, settings.max_concurrency)):
            submit_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index = running.pop(future)
                try:
                    keep(index, future.result())
                    consecutive_failures = 0
                except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as error:
                    # Every request would be refused the same way: stop now, saying which setting to fix.
                    stats.failed += 1
                    raise stop(running, refusal_message(settings, error)) from None
                except (openai.APIConnectionError, openai.APITimeoutError, openai.APIStatusError,
                        UnreadableResponse) as error:
                    # Not cached: the next run asks again.
                    stats.failed += 1
                    consecutive_failures += 1
                    log.warning("%s: request failed after retries: %s", describe, _short(error))
                    if consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                        raise stop(running, (
                            f"LLM endpoint {settings.address} failed {consecutive_failures} requests in a row "
                            f"({_short(error)}); the answers received so far are cached, rerun to resume")) from None
                bar.update(1)
                submit_next()
    bar.close()
    # Duplicated questions share the first one's answer.
    for index, key in enumerate(keys):
        if answers[index] is None and key in first_index:
            answers[index] = answers[first_index[key]]
    return answers, stats


def _short(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:160]}"
