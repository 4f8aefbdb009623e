"""HDBSCAN on the reduced space; -1 marks titles that belong to no topic ("Uncategorized")."""

from __future__ import annotations

import logging

import numpy as np

from .names import OUTLIER

log = logging.getLogger(__name__)

# Fewer titles than this cannot form two clusters: they become one topic.
MIN_POINTS_TO_CLUSTER = 4


def cluster_points(points: np.ndarray, *, min_cluster_size: int, min_samples: int | None,
                   selection_method: str = "eom", threads: int = 1) -> np.ndarray:
    """Topic label per point, numbered by decreasing size (0 = largest) so labels are stable."""
    labels, _ = cluster_with_validity(points, min_cluster_size=min_cluster_size, min_samples=min_samples,
                                      selection_method=selection_method, validity=False, threads=threads)
    return labels


def cluster_with_validity(points: np.ndarray, *, min_cluster_size: int, min_samples: int | None,
                          selection_method: str = "eom", validity: bool = True,
                          threads: int = 1) -> tuple[np.ndarray, float]:
    """Labels as cluster_points, plus HDBSCAN's relative_validity_ (a fast DBCV estimate; NaN if not computed).

    `threads` bounds HDBSCAN's core-distance workers (its own default is 4, whatever the CPUs granted)."""
    n_points = points.shape[0]
    if n_points == 0:
        return np.zeros(0, dtype=np.int64), float("nan")
    if n_points < MIN_POINTS_TO_CLUSTER:
        log.warning("only %d titles: they form a single topic", n_points)
        return np.zeros(n_points, dtype=np.int64), float("nan")
    model = fit_hdbscan(points, min_cluster_size=min_cluster_size, min_samples=min_samples,
                        selection_method=selection_method, validity=validity, threads=threads)
    labels = renumber_by_size(model.labels_)
    score = float("nan")
    if validity and len(set(labels.tolist()) - {OUTLIER}) >= 2:
        score = float(model.relative_validity_)
    return labels, score


def fit_hdbscan(points: np.ndarray, *, min_cluster_size: int, min_samples: int | None, selection_method: str = "eom",
                validity: bool = False, threads: int = 1):
    """The fitted hdbscan.HDBSCAN behind cluster_with_validity (labels_ unnumbered; condensed_tree_ for replays)."""
    import hdbscan

    n_points = points.shape[0]
    # A topic larger than a fifth of all titles cannot leave room for several topics.
    size = min_cluster_size if min_cluster_size <= n_points // 2 else max(2, n_points // 5)
    if size != min_cluster_size:
        log.warning("min_cluster_size %d is too large for %d titles; using %d", min_cluster_size, n_points, size)
    samples = None if min_samples is None else max(1, min(min_samples, size))
    model = hdbscan.HDBSCAN(min_cluster_size=size, min_samples=samples, cluster_selection_method=selection_method,
                            gen_min_span_tree=validity, core_dist_n_jobs=threads)
    return model.fit(points.astype(np.float64))


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber topics 0..k-1 by decreasing size (ties: first appearance); outliers stay -1."""
    found = [label for label in dict.fromkeys(labels.tolist()) if label != OUTLIER]
    counts = {label: int((labels == label).sum()) for label in found}
    order = sorted(found, key=lambda label: -counts[label])  # stable sort keeps first appearance on ties
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(label, OUTLIER) for label in labels.tolist()], dtype=np.int64)
