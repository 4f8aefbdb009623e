"""One UMAP space of the sweep: reduce once, then run every HDBSCAN setting on it."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from ..cluster import cluster_with_validity
from ..reduce import reduce_embeddings
from .metrics import structure_metrics


def reduce_space(embeddings: np.ndarray, neighbors: tuple[np.ndarray, np.ndarray], space: dict,
                 metric: str, n_epochs: int | None) -> np.ndarray:
    return reduce_embeddings(embeddings, n_components=int(space["n_components"]), n_neighbors=int(space["n_neighbors"]),
                             min_dist=float(space["min_dist"]), metric=metric, seed=int(space["seed"]),
                             neighbors=neighbors, n_epochs=n_epochs)


def evaluate_cells(points: np.ndarray, clusters: pd.DataFrame, selection_method: str) -> list[tuple[np.ndarray, dict]]:
    """(labels, structure metrics incl. runtime_s) for each HDBSCAN setting, in the table's order."""
    results = []
    for setting in clusters.to_dict("records"):
        started = time.perf_counter()
        labels, validity = cluster_with_validity(points, min_cluster_size=int(setting["min_cluster_size"]),
                                                 min_samples=int(setting["min_samples"]),
                                                 selection_method=selection_method)
        metrics = structure_metrics(points, labels, validity)
        metrics["cluster_runtime_s"] = time.perf_counter() - started
        results.append((labels, metrics))
    return results
