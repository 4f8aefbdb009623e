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
from dataclasses import dataclass, field

import jsonschema
import openai

from ..errors import LLMError
from . import GENERATION_PARAMETERS

log = logging.getLogger(__name__)

# Structured-output styles, most to least strict. "llamacpp" is llama.cpp's
# json_object-with-schema extension (its server answers 500 to json_schema).
FORMATS = ("json_schema", "json_object", "llamacpp", "none")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)
REPAIR_MESSAGE = "That answer was not a valid JSON object of the requested form. Reply with only the JSON object for:"


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
            log.info("endpoint %s has no /models route; continuing", self.settings.base_url)
        except openai.AuthenticationError:
            raise LLMError(f"LLM endpoint {self.settings.base_url} rejected the API key") from None
        except (openai.APIConnectionError, openai.APITimeoutError):
            raise LLMError(f"LLM endpoint {self.settings.base_url} is not reachable") from None
        except openai.APIStatusError as error:
            raise LLMError(f"LLM endpoint {self.settings.base_url} answered HTTP {error.status_code} to /models") from None

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
        while True:
            fmt = self._format
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
                # The endpoint does not know this structured-output style: step down once, remember it.
                if fmt == "none" or self.settings.response_format != "auto":
                    raise
                with self._format_lock:
                    if self._format == fmt:
                        self._format = FORMATS[FORMATS.index(fmt) + 1] if fmt != "json_object" else "none"
                        log.warning("endpoint rejected response_format %s; using %s", fmt, self._format)
                continue
            except (json.JSONDecodeError, openai.APIResponseValidationError) as error:
                # A 200 whose body is not a completion: an invalid answer, not a reason to stop.
                answer.requests += 1
                log.warning("unreadable response body: %s", type(error).__name__)
                return ""
            answer.requests += 1
            if response.usage is not None:
                answer.prompt_tokens += response.usage.prompt_tokens or 0
                answer.completion_tokens += response.usage.completion_tokens or 0
            if not response.choices:
                return ""
            return response.choices[0].message.content or ""


def _format_arguments(fmt: str, schema: dict, schema_name: str) -> dict:
    if fmt == "json_schema":
        return {"response_format": {"type": "json_schema", "json_schema": {"name": schema_name, "schema": schema}}}
    if fmt == "json_object":
        return {"response_format": {"type": "json_object"}}
    if fmt == "llamacpp":
        # Passed in the body as-is: llama.cpp turns the schema into a grammar.
        return {"extra_body": {"response_format": {"type": "json_object", "schema": schema}}}
    return {}
