"""Glue shared by the rule scripts: logging to the rule's log and one-line errors."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError, LLMError, StopRequested

log = logging.getLogger("jobtopics")


@contextlib.contextmanager
def _stderr_to(log_path: str | Path) -> Iterator[None]:
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    original = sys.stderr
    with open(log_path, "a", encoding="utf-8", buffering=1) as handle:
        sys.stderr = handle
        handler = logging.StreamHandler(handle)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        # One line per HTTP request would drown the progress bar.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
        logging.getLogger("httpx").setLevel(logging.WARNING)
        try:
            yield
        finally:
            root.removeHandler(handler)
            sys.stderr = original


def run_step(log_path: str | Path, main: Callable[[], None]) -> None:
    """Run a rule's body with stderr and logging sent to its log file.

    Errors the user can fix end the job with one line (in the log and on the
    console), not a traceback; anything else is a bug and keeps its traceback
    in the log.
    """
    console = sys.stderr
    with _stderr_to(log_path):
        try:
            main()
        except (InputError, LLMError, StopRequested) as error:
            message = f"jobtopics: {error}"
            log.error(message)
            print(message, file=console)
            raise SystemExit(1) from None
