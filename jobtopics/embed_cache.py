"""A persistent cache of sentence embeddings, so a rerun with new contacts embeds only the new titles.

Keyed by the model's identity (jobtopics.embed.model_identity: its name and what decides its weights) and the
exact text embedded. New vectors are written in one
transaction at the end of the step: a run killed while embedding leaves no partial
set behind. A vector does not depend on the texts embedded with it (jobtopics/embed.py),
so a cache filled by other runs gives the same vectors as a fresh one.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .errors import InputError

SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"


def _key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def cached_embeddings(texts: list[str], model: str, cache_path: Path,
                      embed: Callable[[list[str]], np.ndarray]) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (in order), computing only those not cached; returns (vectors, number computed)."""
    if not texts:
        return embed([]), 0  # the embedder knows the (0, dimension) shape
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        # Two processes of a step can write at once (jobtopics.embed runs models side by side): wait for the other.
        with sqlite3.connect(cache_path, timeout=60) as db:
            db.execute(SCHEMA)
            keys = [_key(model, text) for text in texts]
            found = {}
            for start in range(0, len(keys), 500):  # SQLite caps the number of query parameters
                chunk = keys[start:start + 500]
                rows = db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})",
                                  chunk).fetchall()
                found.update({key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows})
            missing = sorted({key: text for key, text in zip(keys, texts) if key not in found}.items())
            if missing:
                computed = embed([text for _, text in missing])
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                               [(key, vector.astype(np.float32).tobytes()) for (key, _), vector in zip(missing, computed)])
                found.update({key: vector.astype(np.float32) for (key, _), vector in zip(missing, computed)})
    except (sqlite3.Error, OSError) as error:
        raise InputError(f"cannot use the embedding cache {cache_path}: {error} "
                         "(disk full or read-only, or another run holding it?)") from None
    return np.vstack([found[key] for key in keys]), len(missing)
