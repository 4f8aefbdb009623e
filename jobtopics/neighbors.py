"""Exact k-nearest-neighbor graph, computed once and shared by every UMAP that needs it.

UMAP builds this graph itself on every fit; the sweep fits many UMAPs on the same
embeddings, so the graph for the largest k is computed once here and each fit
takes its first n_neighbors columns (the neighbors are sorted by distance).
Exact search (scikit-learn, brute force) needs no seed, so every UMAP space
shares one graph whatever its seed.
"""

from __future__ import annotations

import numpy as np


def nearest_neighbors(embeddings: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(indices, distances) of each point's k nearest points, itself first, sorted by distance."""
    from sklearn.neighbors import NearestNeighbors

    n_points = embeddings.shape[0]
    k = min(k, n_points)
    search = NearestNeighbors(n_neighbors=k, metric=metric, algorithm="brute").fit(embeddings)
    distances, indices = search.kneighbors(embeddings)
    return _self_first(indices, distances)


def _self_first(indices: np.ndarray, distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UMAP expects each point to be its own first neighbor; exact duplicates can swap places with it."""
    own = np.arange(indices.shape[0])
    for row in np.flatnonzero(indices[:, 0] != own):
        where = np.flatnonzero(indices[row] == own[row])
        position = where[0] if where.size else indices.shape[1] - 1
        indices[row, 1 : position + 1] = indices[row, :position].copy()
        distances[row, 1 : position + 1] = distances[row, :position].copy()
        indices[row, 0], distances[row, 0] = row, 0.0
    return indices.astype(np.int32), distances.astype(np.float32)


def save_neighbors(path: str, indices: np.ndarray, distances: np.ndarray) -> None:
    np.savez(path, indices=indices, distances=distances)


def load_neighbors(path: str) -> tuple[np.ndarray, np.ndarray]:
    with np.load(path) as stored:
        return stored["indices"], stored["distances"]
