"""JSON answers from any OpenAI-compatible chat endpoint, validated against a schema.

Retries with exponential backoff and jitter (honouring Retry-After) on 429, 5xx,
timeouts and connection errors are the `openai` client's own; this module adds
structured output, schema validation and one repair round.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field

import jsonschema
import openai

from ..errors import LLMError
from . import GENERATION_PARAMETERS, public_address

log = logging.getLogger(__name__)

# Structured-output styles, most to least strict. "llamacpp" is llama.cpp's
# json_object-with-schema extension (its server answers 500 to json_schema).
FORMATS = ("json_schema", "json_object", "llamacpp", "none")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)
# Seconds before asking again after a 200 that held no completion, doubling (as the client's own retries do).
UNREADABLE_BACKOFF_S = 0.5
REPAIR_MESSAGE = "That answer was not a valid JSON object of the requested form. Reply with only the JSON object for:"


class UnreadableResponse(Exception):
    """A 200 whose body is no completion (a proxy's error page, no choices): no answer, so never cached."""


def next_format(fmt: str) -> str | None:
    """The structured-output style to try after the endpoint refused `fmt` (llama.cpp's only when asked for)."""
    return {"json_schema": "json_object", "json_object": "none", "llamacpp": "none"}.get(fmt)


@dataclass(frozen=True)
class LLMSettings:
    base_url: str
    model: str
    api_key: str = field(repr=False, default="")
    temperature: float = 0.0
    seed: int = 42
    max_tokens: int = 120
    timeout_s: float = 60.0
    max_retries: int = 4
    max_concurrency: int = 4
    response_format: str = "auto"  # auto | json_schema | json_object | llamacpp | none

    @property
    def address(self) -> str:
        return public_address(self.base_url)

    def cache_params(self) -> dict:
        """Generation parameters that change answers (and so belong in the cache key)."""
        return {name: getattr(self, name) for name in GENERATION_PARAMETERS}


@dataclass
class Answer:
    data: dict | None  # the validated JSON object, or None when the answer stayed invalid
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    raw: str = ""
    without_usage: int = 0  # responses that reported no token counts (their tokens and cost are missing)


def parse_json_object(text: str) -> dict | None:
    """The JSON object in an answer, tolerating code fences and chatter around it."""
    text = _FENCE.sub("", text.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


class JsonChat:
    """Ask for a JSON object; validate it; repair once; never raise for a bad answer."""

    def __init__(self, settings: LLMSettings):
        self.settings = settings
        self._client = openai.OpenAI(
            base_url=settings.base_url,
            # Local servers need no key, but the client insists on a non-empty one.
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
        )
        self._format = "json_schema" if settings.response_format == "auto" else settings.response_format
        self._format_lock = threading.Lock()

    def check_endpoint(self) -> None:
        """Fail early, naming the endpoint, when it cannot be reached at all."""
        try:
            self._client.with_options(max_retries=1, timeout=min(self.settings.timeout_s, 15)).models.list()
        except openai.NotFoundError:
            log.info("endpoint %s has no /models route; continuing", self.settings.address)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
            raise LLMError(refusal_message(self.settings, error)) from None
        except (openai.APIConnectionError, openai.APITimeoutError):
            raise LLMError(f"LLM endpoint {self.settings.address} is not reachable") from None
        except openai.APIStatusError as error:
            raise LLMError(f"LLM endpoint {self.settings.address} answered HTTP {error.status_code} to /models") from None

    def ask(self, messages: list[dict], schema: dict, schema_name: str) -> Answer:
        answer = Answer(data=None)
        conversation = list(messages)
        for attempt in range(2):  # the first answer, then one repair round
            content = self._complete(conversation, schema, schema_name, answer)
            data = parse_json_object(content)
            if data is not None:
                try:
                    jsonschema.validate(data, schema)
                    answer.data = data
                    return answer
                except jsonschema.ValidationError:
                    pass
            answer.raw = content[:500]
            if attempt == 0:
                # Repeat the data: small models lose track of it after a bad answer.
                repair = f"{REPAIR_MESSAGE}\n{messages[-1]['content']}"
                conversation = [*messages, {"role": "assistant", "content": content}, {"role": "user", "content": repair}]
        return answer

    def _complete(self, messages: list[dict], schema: dict, schema_name: str, answer: Answer) -> str:
        """The answer's text. With response_format auto, a 400 may mean the endpoint does not know the
        structured-output style: the same request is sent with the next style down, and the style that is
        accepted is remembered for later requests. A 400 that every style gets is about the request itself
        (a content filter refusing one title, a setting the model does not take) and is raised, leaving the
        remembered style as it was."""
        fmt = self._format
        unreadable = 0
        while True:
            try:
                response = self._client.chat.completions.create(
                    model=self.settings.model,
                    messages=messages,
                    temperature=self.settings.temperature,
                    seed=self.settings.seed,
                    max_tokens=self.settings.max_tokens,
                    **_format_arguments(fmt, schema, schema_name),
                )
            except openai.BadRequestError:
                answer.requests += 1
                lower = next_format(fmt) if self.settings.response_format == "auto" else None
                if lower is None:
                    raise
                fmt = lower
                continue
            except (json.JSONDecodeError, openai.APIResponseValidationError) as error:
                problem = f"the response body is not a completion ({type(error).__name__})"
                response = None
            else:
                if not hasattr(response, "choices"):  # a 200 that is not JSON (a proxy's HTML page): its text
                    response, problem = None, "the response body is not a completion (not JSON)"
            if response is not None:
                if response.usage is not None:
                    answer.prompt_tokens += response.usage.prompt_tokens or 0
                    answer.completion_tokens += response.usage.completion_tokens or 0
                else:
                    answer.without_usage += 1
                problem = None if response.choices else "the response has no choices"
            answer.requests += 1
            if problem is None:
                self._remember_format(fmt)
                return response.choices[0].message.content or ""
            # No answer at all (a proxy's error page): ask again like the client retries a 5xx, then give up
            # without an answer, so that nothing is cached for it.
            unreadable += 1
            log.warning("unreadable response (%s)", problem)
            if unreadable > self.settings.max_retries:
                raise UnreadableResponse(problem)
            time.sleep(min(UNREADABLE_BACKOFF_S * 2 ** (unreadable - 1), 8.0))

    def _remember_format(self, accepted: str) -> None:
        """Later requests start at the style the endpoint accepted, when it is lower than the current one."""
        with self._format_lock:
            if FORMATS.index(accepted) > FORMATS.index(self._format):
                log.warning("endpoint rejected response_format %s; using %s", self._format, accepted)
                self._format = accepted


def refusal_message(settings: LLMSettings, error: openai.APIStatusError) -> str:
    """One line for an endpoint that refuses every request (wrong key, no access, no such model)."""
    where = f"LLM endpoint {settings.address}"
    if isinstance(error, openai.AuthenticationError):
        key = "an API key" if settings.api_key else "no API key (the variable llm.api_key_env names is not set)"
        return f"{where} rejected the request (HTTP 401) with {key}: set llm.api_key_env to the variable that holds the key"
    if isinstance(error, openai.PermissionDeniedError):
        return f"{where} refused access (HTTP 403) for model {settings.model!r}: check the key's permissions"
    return (f"{where} has no model {settings.model!r} or no chat route (HTTP 404): check llm.model and llm.base_url "
            "(which usually ends in /v1)")


def _format_arguments(fmt: str, schema: dict, schema_name: str) -> dict:
    if fmt == "json_schema":
        return {"response_format": {"type": "json_schema", "json_schema": {"name": schema_name, "schema": schema}}}
    if fmt == "json_object":
        return {"response_format": {"type": "json_object"}}
    if fmt == "llamacpp":
        # Passed in the body as-is: llama.cpp turns the schema into a grammar.
        return {"extra_body": {"response_format": {"type": "json_object", "schema": schema}}}
    return {}
