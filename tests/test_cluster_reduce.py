import subprocess
import sys

import numpy as np
import pytest

from jobtopics.cluster import OUTLIER, cluster_points, renumber_by_size
from jobtopics.reduce import reduce_embeddings


def blobs(n_per_blob=30, dims=16, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.eye(dims)[:3] * 10
    points = np.vstack([c + rng.normal(scale=0.3, size=(n_per_blob, dims)) for c in centres])
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def test_renumber_by_size_keeps_outliers():
    assert renumber_by_size(np.array([5, 5, -1, 2, 2, 2, 7])).tolist() == [1, 1, OUTLIER, 0, 0, 0, 2]


def test_separated_blobs_are_found():
    reduced = reduce_embeddings(blobs(), n_components=5, n_neighbors=10, min_dist=0.0, metric="cosine", seed=1)
    labels = cluster_points(reduced, min_cluster_size=5, min_samples=None)
    assert len(set(labels.tolist()) - {OUTLIER}) == 3
    truth = np.repeat([0, 1, 2], 30)
    for topic in set(labels.tolist()) - {OUTLIER}:
        assert len(set(truth[labels == topic].tolist())) == 1


def test_umap_is_identical_across_processes_and_compiles_once(tmp_path):
    """The same coordinates in every process, whether UMAP's numba functions are compiled there or read from what an
    earlier process kept (jobtopics.reduce._umap_class); the second process reads them."""
    import json
    import os

    np.save(tmp_path / "x.npy", blobs())
    # Counts the cache hits of the functions umap-learn itself compiles in every process (its own cached ones aside).
    code = (
        "import json, sys, numpy as np, umap; from numba.core.dispatcher import Dispatcher; "
        "from numba.core.caching import NullCache; "
        "uncached = [f for n, m in list(sys.modules.items()) if n.split('.')[0] == 'umap' for f in vars(m).values() "
        "if isinstance(f, Dispatcher) and isinstance(f._cache, NullCache)]; "
        "from jobtopics.reduce import reduce_embeddings; "
        f"x = np.load(r'{tmp_path / 'x.npy'}'); "
        "np.save(sys.argv[1], reduce_embeddings(x, n_components=2, n_neighbors=10, min_dist=0.1, metric='cosine', "
        "seed=7)); "
        "print(json.dumps(sum(sum(f.stats.cache_hits.values()) for f in uncached)))"
    )
    environment = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    hits = [json.loads(subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], check=True, text=True,
                                      capture_output=True, env=environment).stdout.splitlines()[-1])
            for name in ("a.npy", "b.npy")]
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))
    assert hits[0] == 0 and hits[1] > 0, hits


def test_n_epochs_reaches_umap():
    """reduce.n_epochs is UMAP's: the same value gives the same layout, another value another one."""
    settings = dict(n_components=2, n_neighbors=10, min_dist=0.0, metric="cosine", seed=1)
    few = reduce_embeddings(blobs(), n_epochs=20, **settings)
    np.testing.assert_array_equal(few, reduce_embeddings(blobs(), n_epochs=20, **settings))
    assert not np.allclose(few, reduce_embeddings(blobs(), n_epochs=200, **settings))


@pytest.mark.parametrize("n_points", [0, 1, 2, 3, 5, 9])
def test_tiny_inputs_do_not_crash(n_points):
    points = blobs(n_per_blob=3)[:n_points]
    reduced = reduce_embeddings(points, n_components=5, n_neighbors=15, min_dist=0.0, metric="cosine", seed=1)
    assert reduced.shape == (n_points, 5)
    assert np.isfinite(reduced).all()
    labels = cluster_points(reduced, min_cluster_size=50, min_samples=None)
    assert labels.shape == (n_points,)


def test_min_cluster_size_larger_than_input_falls_back():
    reduced = reduce_embeddings(blobs(n_per_blob=10), n_components=5, n_neighbors=10, min_dist=0.0, metric="cosine", seed=1)
    labels = cluster_points(reduced, min_cluster_size=500, min_samples=None)
    assert (labels != OUTLIER).any()
