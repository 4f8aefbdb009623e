"""A persistent SQLite cache of LLM answers, committed one answer at a time.

It lives outside results/ so that Snakemake's clean-up of incomplete outputs
never removes it, and a killed run loses at most the requests in flight.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

from ..errors import LLMError

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    answer TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created REAL NOT NULL
)
"""


def cache_key(model: str, prompt_hash: str, params: dict, data: dict) -> str:
    """Key = endpoint model id + prompt template hash + generation parameters + the input data."""
    material = json.dumps(
        {"model": model, "prompt": prompt_hash, "params": params, "data": data},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            # WAL: readers never block the writer, and each commit is durable on its own.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(SCHEMA)
        except (sqlite3.Error, OSError) as error:
            raise LLMError(f"cannot open the LLM cache {self.path}: {error} (disk full or read-only?)") from None

    def get(self, key: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, model: str, answer: dict, prompt_tokens: int, completion_tokens: int) -> None:
        """Store one answer (its own commit). A failed write stops the run; earlier answers stay cached."""
        with self._lock:
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                    (key, model, json.dumps(answer, ensure_ascii=False), prompt_tokens, completion_tokens,
                     time.time()),
                )
            except (sqlite3.Error, OSError) as error:
                raise LLMError(f"cannot write to the LLM cache {self.path}: {error} (disk full?); the answers "
                               "cached so far are kept: free some space and rerun to resume") from None

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
