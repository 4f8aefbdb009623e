"""Glue shared by the rule scripts: logging to the rule's log and one-line errors."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError, LLMError, StopRequested

log = logging.getLogger("jobtopics")

# Read by OpenMP (torch), BLAS and numba when they are first imported.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")


def use_threads(threads: int) -> None:
    """Keep the step's thread pools (torch, numba, BLAS) to the rule's `threads:`, which Snakemake fits into
    --cores, so that steps running side by side do not oversubscribe the CPUs.

    The heavy libraries are imported inside the step, after this runs, and size their pools from these
    variables; one imported already is set directly. HDBSCAN takes its thread count as an argument.
    """
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    if "numba" in sys.modules:
        numba = sys.modules["numba"]
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))


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
        except Exception:
            # Written while stderr is still the log: Python prints an uncaught exception only after this block
            # has put stderr back, so the log Snakemake points at would be empty.
            traceback.print_exc(file=sys.stderr)
            raise


def llm_settings(snakemake) -> dict:
    """The step's llm settings: the config's llm section, with the answer-deciding keys as the rule's params.

    The params make Snakemake rerun the step when they change; timeouts, concurrency, the cache folder and
    the like come from the config, so that changing them reruns nothing (see rules/common.smk).
    """
    settings = {**snakemake.config["llm"], "local": dict(snakemake.config["llm"]["local"])}
    for key, value in snakemake.params.llm.items():
        section, _, name = key.rpartition("/")
        (settings[section] if section else settings)[name] = value
    return settings
