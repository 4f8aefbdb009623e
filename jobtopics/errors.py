"""User-facing errors: one clear line, never a traceback."""


class InputError(Exception):
    """Bad input or configuration the user can fix (names the file, row or key)."""


class ConfigError(InputError):
    """An invalid configuration value; the message names the key."""


class LLMError(Exception):
    """The LLM endpoint cannot be used at all (down, wrong model, bad key)."""


class StopRequested(Exception):
    """The user asked the step to stop after reporting (e.g. an LLM dry run); nothing is wrong."""
