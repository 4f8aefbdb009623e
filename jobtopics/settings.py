"""Configuration checks with one-line messages that name the offending key."""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import yaml


def config_problem(config: dict, schema_path: str | Path) -> str | None:
    """The first schema violation as 'config key a.b: message', or None when the config is valid."""
    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return None
    error = errors[0]
    key = ".".join(map(str, error.absolute_path))
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = f"{key}." if key else ""
        return f"unknown config key {where}{extra[0]} (check the spelling against config/README.md)"
    if error.validator == "required":
        return f"config: {error.message}"
    return f"config key {key}: {error.message}"


def check_config(config: dict, schema_path: str | Path) -> None:
    """Stop the workflow with one clear line when the config is invalid."""
    problem = config_problem(config, schema_path)
    if problem:
        print(f"jobtopics: {problem}", file=sys.stderr)
        raise SystemExit(1)
