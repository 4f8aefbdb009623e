"""Configuration checks with one-line messages that name the offending key."""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import yaml

from .errors import ConfigError


# Top-level config keys renamed in this release: old name -> new name. The old name still works, with a notice,
# until the next release.
RENAMED_KEYS = {"coverage": "occupations"}


def rename_deprecated_keys(config: dict, schema: dict) -> list[str]:
    """Move each renamed top-level key to its new name, in place; returns one notice line per key moved.

    Snakemake merges the shipped config/config.yaml (which has the new name) with the user's files and --config,
    so a user's old name usually arrives next to the new name holding the shipped defaults: the old section's
    values then go over those defaults. Both names holding values of their own is a ConfigError.
    """
    notices = []
    for old, new in RENAMED_KEYS.items():
        if old not in config:
            continue
        if new in config and not _only_defaults(config[new], schema.get("properties", {}).get(new, {})):
            raise ConfigError(f"config keys `{old}` and `{new}` are both set: `{old}` is the old name of `{new}`; "
                              f"keep only `{new}`")
        moved, current = config.pop(old), config.get(new)
        config[new] = {**current, **moved} if isinstance(current, dict) and isinstance(moved, dict) else moved
        notices.append(f"config key `{old}` is now `{new}`; `{old}` will stop working in the next release")
    return notices


def _only_defaults(value, rule: dict) -> bool:
    """Whether a config section holds nothing but the schema's defaults (a missing key counts as its default)."""
    if not isinstance(value, dict):
        return False
    properties = rule.get("properties", {})
    for key, item in value.items():
        if key not in properties:
            return False
        if isinstance(item, dict) and "properties" in properties[key]:
            if not _only_defaults(item, properties[key]):
                return False
        elif "default" not in properties[key] or item != properties[key]["default"]:
            return False
    return True


def coerce_cli_values(config: dict, schema: dict) -> None:
    """Turn values into the types the schema wants where they say the same thing, in place: strings from nested
    `--config` overrides back into numbers/booleans/null, list items included, and whole-number floats into
    integers.

    Snakemake passes `--config 'cluster={min_cluster_size: 8}'` inner values as strings ('8'), and
    `sweep={grid: {seed: [1, 2]}}` list items too; `min_cluster_size: 5.0` passes the schema's integer check (it
    is a whole number) but hdbscan and range() refuse a float.
    """
    for key, rule in schema.get("properties", {}).items():
        if key in config:
            config[key] = _coerced(config[key], rule)


def _coerced(value, rule: dict):
    if isinstance(value, dict):
        coerce_cli_values(value, rule)
        return value
    if isinstance(value, list) and isinstance(rule.get("items"), dict):
        return [_coerced(item, rule["items"]) for item in value]
    wanted = rule.get("type", [])
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if isinstance(value, str) and wanted and "string" not in wanted:
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            return value  # left as is: validation names the key
    if isinstance(value, float) and value.is_integer() and "integer" in wanted and "number" not in wanted:
        return int(value)
    return value


def load_schema(schema_path: str | Path) -> dict:
    return yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))


def config_problem(config: dict, schema_path: str | Path) -> str | None:
    """The first schema violation as 'config key a.b: message', or None when the config is valid."""
    schema = load_schema(schema_path)
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
    if error.absolute_path and str(list(error.absolute_path)[-1]).endswith("key_env"):
        # Someone may paste the key itself here: never echo the value.
        return (f"config key {key}: must be the *name* of an environment variable holding the key "
                "(letters, digits, _), not the key itself (value not shown)")
    return f"config key {key}: {error.message}"


def check_config(config: dict, schema_path: str | Path) -> None:
    """Raise ConfigError with one clear line (naming the key) when the config is invalid.

    The Snakefile turns it into a WorkflowError, which Snakemake reports without a traceback. A renamed key
    (RENAMED_KEYS) is moved to its new name first, with a one-line notice on stderr.
    """
    schema = load_schema(schema_path)
    for notice in rename_deprecated_keys(config, schema):
        print(f"jobtopics: {notice}", file=sys.stderr)
    coerce_cli_values(config, schema)
    problem = config_problem(config, schema_path) or _cross_key_problem(config)
    if problem:
        raise ConfigError(problem)


def _cross_key_problem(config: dict) -> str | None:
    cluster, sweep = config.get("cluster", {}), config.get("sweep", {})
    if cluster.get("params", "auto") == "auto" and not sweep.get("activate", True):
        return "config key cluster.params: 'auto' needs sweep.activate: true (or set cluster.params: config)"
    return None
