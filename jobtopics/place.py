"""Titles that arrived after a map was fitted are placed onto it by their nearest fitted titles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .names import OUTLIER

# Rows of the similarity matrix computed at once: 2,048 x 20,000 float32 is ~160 MB.
CHUNK = 2048


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def place_titles(current_keys: pd.Series, current_vectors: np.ndarray, fitted_keys: pd.Series,
                 fitted_vectors: np.ndarray, fitted_points: np.ndarray, fitted_topics: np.ndarray,
                 neighbors: int) -> pd.DataFrame:
    """One row per current title (same order): map point, topic and whether it was placed.

    A fitted title keeps its point and topic. A new title goes to the similarity-weighted mean of
    its `neighbors` most similar fitted titles (cosine) and takes the topic with the largest summed
    similarity among them, Uncategorized included; ties go to the lower topic number.
    """
    current_keys = pd.Series(current_keys).reset_index(drop=True)
    index_of = pd.Series(np.arange(len(fitted_keys)), index=pd.Index(fitted_keys))
    position = current_keys.map(index_of)
    known = position.notna().to_numpy()
    points = np.zeros((len(current_keys), 2), dtype=np.float32)
    topics = np.full(len(current_keys), OUTLIER, dtype=np.int64)
    similarity = np.ones(len(current_keys), dtype=np.float32)
    rows = position[known].astype(int).to_numpy()
    points[known] = fitted_points[rows]
    topics[known] = fitted_topics[rows]
    new = np.flatnonzero(~known)
    if len(new) and len(fitted_keys):
        points[new], topics[new], similarity[new] = _place_new(
            _unit(current_vectors[new]), _unit(fitted_vectors), np.asarray(fitted_points, dtype=np.float32),
            np.asarray(fitted_topics, dtype=np.int64), min(neighbors, len(fitted_keys)))
    elif len(new):
        similarity[new] = 0.0
    return pd.DataFrame({"title_key": current_keys, "topic": topics, "x": points[:, 0], "y": points[:, 1],
                         "placed": ~known, "neighbor_similarity": similarity})


def _place_new(queries, fitted, fitted_points, fitted_topics, k):
    points = np.empty((len(queries), 2), dtype=np.float32)
    topics = np.empty(len(queries), dtype=np.int64)
    mean_similarity = np.empty(len(queries), dtype=np.float32)
    topic_values = np.unique(fitted_topics)
    topic_column = np.searchsorted(topic_values, fitted_topics)
    for start in range(0, len(queries), CHUNK):
        scores = queries[start:start + CHUNK] @ fitted.T
        # argpartition then a stable sort by (-score, index): the same neighbours on every machine.
        nearest = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        for offset, candidates in enumerate(nearest):
            row = start + offset
            order = np.lexsort((candidates, -scores[offset, candidates]))
            chosen = candidates[order]
            weights = np.clip(scores[offset, chosen], 0, None) + 1e-6
            points[row] = (weights[:, None] * fitted_points[chosen]).sum(axis=0) / weights.sum()
            votes = np.bincount(topic_column[chosen], weights=weights, minlength=len(topic_values))
            topics[row] = topic_values[int(np.argmax(votes))]
            mean_similarity[row] = float(scores[offset, chosen].mean())
    return points, topics, mean_similarity
