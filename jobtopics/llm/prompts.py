"""Chat prompts that carry untrusted input as JSON data after a fixed few-shot prefix."""

from __future__ import annotations

import hashlib
import json


def few_shot_messages(system: str, examples: list[tuple[dict, dict]], data: dict) -> list[dict]:
    """System prompt, example (data -> answer) pairs, then the data; the prefix is identical for every question,
    so llama.cpp's prompt cache reuses it."""
    messages = [{"role": "system", "content": system}]
    for example_data, example_answer in examples:
        messages.append({"role": "user", "content": json.dumps(example_data, ensure_ascii=False)})
        messages.append({"role": "assistant", "content": json.dumps(example_answer, ensure_ascii=False)})
    messages.append({"role": "user", "content": json.dumps(data, ensure_ascii=False)})
    return messages


def one_string_schema(field: str, min_length: int, max_length: int) -> dict:
    """The JSON schema of an answer holding one string field: every prompt of the project answers so."""
    return {
        "type": "object",
        "properties": {field: {"type": "string", "minLength": min_length, "maxLength": max_length}},
        "required": [field],
    }


def template_hash(*parts: object) -> str:
    """A short hash of everything that shapes a prompt: part of the cache key."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]
