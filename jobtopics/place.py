"""Titles that arrived after a map was fitted are placed onto it by their nearest fitted titles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .names import OUTLIER

# Similarity rows held at once (float64 scores + their partition): at most ~256 MB whatever the map's size.
MEMORY_BUDGET = 256 * 2**20


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def rows_in(reference_keys: pd.Series, keys: pd.Series) -> pd.Series:
    """Each key's row in reference_keys (NaN where absent), in the order of keys."""
    row_of = pd.Series(np.arange(len(reference_keys)), index=pd.Index(reference_keys))
    return pd.Series(keys).reset_index(drop=True).map(row_of)


def place_titles(current_keys: pd.Series, current_vectors: np.ndarray, fitted_keys: pd.Series,
                 fitted_vectors: np.ndarray, fitted_points: np.ndarray, fitted_topics: np.ndarray,
                 neighbors: int) -> pd.DataFrame:
    """One row per current title (same order): map point, topic and whether it was placed.

    A fitted title keeps its point and topic. A new title goes to the similarity-weighted mean of
    its `neighbors` most similar fitted titles (cosine) and takes the topic with the largest summed
    similarity among them, Uncategorized included. Equal similarities go to the lower fitted row, equal
    votes to the topic of the nearest neighbor: the same input gives the same placement.
    """
    current_keys = pd.Series(current_keys).reset_index(drop=True)
    position = rows_in(fitted_keys, current_keys)
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
    n_fitted = len(fitted)
    chunk = max(1, MEMORY_BUDGET // (16 * n_fitted))
    fitted = fitted.astype(np.float64)
    for start in range(0, len(queries), chunk):
        scores = queries[start:start + chunk].astype(np.float64) @ fitted.T
        kth_best = np.partition(scores, n_fitted - k, axis=1)[:, n_fitted - k]
        for offset, row_scores in enumerate(scores):
            row = start + offset
            candidates = np.flatnonzero(row_scores >= kth_best[offset])
            chosen = candidates[np.lexsort((candidates, -row_scores[candidates]))][:k]
            weights = np.clip(row_scores[chosen], 0, None) + 1e-6
            points[row] = (weights[:, None] * fitted_points[chosen]).sum(axis=0) / weights.sum()
            votes = np.bincount(topic_column[chosen], weights=weights, minlength=len(topic_values))
            leaders = set(np.flatnonzero(votes >= votes.max() - 1e-9).tolist())
            # chosen is ranked nearest first: the first neighbor in a leading topic breaks a tie
            winner = next(column for column in topic_column[chosen] if column in leaders)
            topics[row] = topic_values[winner]
            mean_similarity[row] = float(row_scores[chosen].mean())
    return points, topics, mean_similarity
