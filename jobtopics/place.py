"""Titles that arrived after a map was fitted are placed onto it by their nearest fitted titles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .names import OUTLIER

# A new title whose mean cosine similarity to its nearest fitted titles is below this fits the map weakly: the
# shipped default of update.weak_placement_similarity (how it was chosen: config/README.md).
WEAK_PLACEMENT_SIMILARITY = 0.5

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
                 neighbors: int, weak_similarity: float = WEAK_PLACEMENT_SIMILARITY) -> pd.DataFrame:
    """One row per current title (same order): map point, topic, whether it was placed, how well it fits.

    A fitted title keeps its point and topic. A new title goes to the similarity-weighted mean of
    its `neighbors` most similar fitted titles (cosine) and takes the topic with the largest summed
    similarity among them, Uncategorized included. Equal similarities go to the lower fitted row, equal
    votes to the topic of the nearest neighbor: the same input gives the same placement.

    neighbor_similarity is a new title's mean cosine similarity to those fitted titles (1 for a fitted title,
    0 when there is none); `weak` marks the new titles where it is below weak_similarity: nothing on the map
    is much like them, so their topic and point say little.
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
                         "placed": ~known, "neighbor_similarity": similarity,
                         "weak": ~known & (similarity < weak_similarity)})


def weak_placements(placed: pd.DataFrame, people_per_title) -> dict[str, int]:
    """Titles placed onto the fitted map and people holding them, all and weakly placed (place_titles' rows,
    people_per_title in the same order)."""
    people = np.asarray(people_per_title, dtype=np.int64)
    new, weak = placed["placed"].to_numpy(dtype=bool), placed["weak"].to_numpy(dtype=bool)
    return {"new_titles": int(new.sum()), "new_people": int(people[new].sum()),
            "weak_titles": int(weak.sum()), "weak_people": int(people[weak].sum())}


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
