"""UMAP reductions: 5-D for clustering, 2-D for the map — seeded and reproducible.

Measured: with duplicate inputs and spectral init, `random_state` alone still
differed between processes; unique inputs in a stable order with init="pca"
gave identical coordinates. The titles step guarantees the former, this module
the latter.
"""

from __future__ import annotations

import functools
import logging
import sys
import warnings

import numpy as np

from .neighbors import nearest_neighbors

log = logging.getLogger(__name__)

# Below this many points UMAP's graph is meaningless; a PCA projection is shown instead.
MIN_POINTS_FOR_UMAP = 8


def reduce_embeddings(
    embeddings: np.ndarray, *, n_components: int, n_neighbors: int, min_dist: float, metric: str, seed: int,
    neighbors: tuple[np.ndarray, np.ndarray] | None = None, n_epochs: int | None = None,
) -> np.ndarray:
    """UMAP of the embeddings; `neighbors` is a shared exact kNN graph with at least n_neighbors columns; n_epochs:
    UMAP's optimisation epochs (None: its own default, 500 below 10,000 points and 200 above)."""
    n_points = embeddings.shape[0]
    if n_points == 0:
        return np.zeros((0, n_components), dtype=np.float32)
    if n_points < MIN_POINTS_FOR_UMAP:
        log.warning("only %d titles: using a PCA projection instead of UMAP", n_points)
        return _pca_projection(embeddings, n_components)
    umap_class = _umap_class()
    k = min(n_neighbors, n_points - 1)
    components = min(n_components, n_points - 2)
    if k != n_neighbors or components != n_components:
        log.warning("%d titles: n_neighbors %d -> %d, n_components %d -> %d", n_points, n_neighbors, k,
                    n_components, components)
    # As in UMAP, a point's k neighbors include the point itself.
    graph = neighbors if neighbors is not None else nearest_neighbors(embeddings, k, metric)
    indices, distances = (part[:, :k] for part in graph)
    model = umap_class(
        n_components=components,
        n_neighbors=k,
        min_dist=min_dist,
        metric=metric,
        init="pca",
        random_state=seed,
        n_epochs=n_epochs,
        # umap-learn only prunes a wider graph above 4,096 points, so it is cut to size above.
        precomputed_knn=(indices, distances, None),
    )
    with warnings.catch_warnings():
        # "n_jobs overridden to 1 by setting random_state" is the price of reproducibility.
        warnings.filterwarnings("ignore", message=".*n_jobs value.*overridden.*")
        # Without a search index UMAP cannot transform new points; the workflow never does.
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")
        reduced = model.fit_transform(embeddings)
    return _pad(reduced.astype(np.float32), n_components)


@functools.lru_cache(maxsize=1)
def _umap_class():
    """UMAP, imported when needed (heavy), with its numba functions kept compiled on disk as pynndescent keeps its own:
    umap-learn compiles them without numba's cache in every process that fits a map (about 7 s in each sweep job and
    in the map step on 2 cores). Numba keys what it keeps by the function's source and the CPU, beside the package
    (or under NUMBA_CACHE_DIR), and the kept code gives the same coordinates (tests/test_cluster_reduce.py)."""
    from numba.core.dispatcher import Dispatcher
    from umap import UMAP

    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "umap":
            continue
        for function in [value for value in vars(module).values() if isinstance(value, Dispatcher)]:
            try:
                function.enable_caching()
            except RuntimeError:  # nowhere writable to keep them: the rest compiled in the process, as before
                return UMAP
    return UMAP


def _pca_projection(embeddings: np.ndarray, n_components: int) -> np.ndarray:
    centred = embeddings - embeddings.mean(axis=0, keepdims=True)
    # SVD is deterministic; fix the sign of each axis so reruns agree exactly.
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    signs = np.sign(components[:, np.argmax(np.abs(components), axis=1)].diagonal())
    signs[signs == 0] = 1
    projected = centred @ (components.T * signs)
    return _pad(projected[:, :n_components].astype(np.float32), n_components)


def _pad(points: np.ndarray, n_components: int) -> np.ndarray:
    if points.shape[1] >= n_components:
        return points
    return np.hstack([points, np.zeros((points.shape[0], n_components - points.shape[1]), dtype=points.dtype)])
