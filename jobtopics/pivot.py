"""Local-language titles borrow an English-only model's view from the English titles nearest them.

An English model such as MiniLM separates English occupations well ("Data Engineer" next to "Data
Scientist", not "Mechanical Engineer") but reads "Analista de datos" as noise, so local-language
titles gather by language. The multilingual encoder finds a title's English equivalents across
languages. So a title that is not English takes, for each English-only model, the similarity-weighted
mean of that model's vectors of its nearest English titles under the multilingual model(s)
(docs/benchmarks.md compares this with each model alone).
"""

from __future__ import annotations

import numpy as np

NEIGHBORS = 3


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def borrowed_rows(english: np.ndarray, multilingual: np.ndarray, neighbors: int = NEIGHBORS,
                  distinct: np.ndarray | None = None) -> np.ndarray:
    """The rows whose English-only vectors pivot_english_only reads for the non-English rows (sorted, unique): the
    rest of a pool of English texts need not be embedded by the English-only model at all."""
    found = _nearest(english, multilingual, neighbors, distinct)
    if found is None:
        return np.zeros(0, dtype=np.int64)
    _, pool, nearest, _ = found
    return np.unique(pool[nearest])


def pivot_english_only(english: np.ndarray, multilingual: np.ndarray, english_only: np.ndarray,
                       neighbors: int = NEIGHBORS, distinct: np.ndarray | None = None) -> np.ndarray:
    """English-only vectors with each non-English row replaced by the weighted mean of the English-only vectors of
    its `neighbors` most similar English rows under the multilingual vectors. Rows without any English row to
    borrow from keep their own vectors. distinct: the rows that may be borrowed from (one per text), so that a
    text many titles share ("Data Analyst" for "Data Analyst (Payments)") is one neighbour, not three."""
    result = english_only.astype(np.float32).copy()
    found = _nearest(english, multilingual, neighbors, distinct)
    if found is None:
        return result
    local, pool, nearest, weights = found
    borrowed = (english_only[pool[nearest]] * weights[..., None]).sum(axis=1)
    result[local] = _unit(borrowed)
    return result


def _nearest(english: np.ndarray, multilingual: np.ndarray, neighbors: int,
             distinct: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """(non-English rows, rows that may be borrowed from, each non-English row's nearest among those as positions in
    them, their similarities), or None when there is nothing to borrow or nobody to borrow for."""
    local = np.flatnonzero(~english)
    pool = np.flatnonzero(english if distinct is None else english & distinct)
    if not len(local) or not len(pool):
        return None
    similarity = _unit(multilingual[local]) @ _unit(multilingual[pool]).T
    k = min(neighbors, len(pool))
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    return local, pool, nearest, np.take_along_axis(similarity, nearest, axis=1).clip(min=1e-6)
