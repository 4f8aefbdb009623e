"""Per-cell quality metrics: structure of the clustering and quality of its topic terms.

Structure (from the reduced points): number of topics, outlier share, largest topic
share, Gini of topic sizes, silhouette on non-outliers, DBCV (HDBSCAN's
relative_validity_, which is only comparable between cells of one UMAP space).
Terms (from the texts that were embedded): c-TF-IDF top terms per topic with
BERTopic's ClassTfidfTransformer, their NPMI coherence over the documents and the
topic diversity (share of unique terms among all topics' top terms).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..names import OUTLIER
from ..terms import TermCounts

# Silhouette is quadratic in the number of points; above this it is estimated on a fixed sample.
SILHOUETTE_SAMPLE = 5000


def size_gini(sizes: np.ndarray) -> float:
    """0 = all topics equally large, towards 1 = one topic holds nearly everything."""
    sizes = np.sort(np.asarray(sizes, dtype=float))
    if sizes.size < 2 or sizes.sum() == 0:
        return 0.0
    ranks = np.arange(1, sizes.size + 1)
    return float((2 * (ranks * sizes).sum()) / (sizes.size * sizes.sum()) - (sizes.size + 1) / sizes.size)


def structure_metrics(points: np.ndarray, labels: np.ndarray, validity: float) -> dict:
    from sklearn.metrics import silhouette_score

    clustered = labels != OUTLIER
    topics, sizes = np.unique(labels[clustered], return_counts=True)
    n_points = max(1, labels.size)
    silhouette = float("nan")
    if 2 <= topics.size < clustered.sum():
        silhouette = float(silhouette_score(points[clustered], labels[clustered],
                                            sample_size=min(SILHOUETTE_SAMPLE, int(clustered.sum())), random_state=0))
    return {
        "n_topics": int(topics.size),
        "outlier_share": float(1 - clustered.sum() / n_points),
        "largest_share": float(sizes.max() / n_points) if sizes.size else 0.0,
        "size_gini": size_gini(sizes),
        "silhouette": silhouette,
        "dbcv": float(validity),
    }


class TermSpace(TermCounts):
    """The documents' term counts with the co-occurrence statistics of the coherence metric."""

    def npmi(self, terms: list[str]) -> float:
        """Mean normalised PMI of the term pairs, counting co-occurrence within a document."""
        index = [self.vectorizer.vocabulary_[term] for term in terms if term in self.vectorizer.vocabulary_]
        if len(index) < 2:
            return float("nan")
        present = self.present[:, index]
        together = (present.T @ present).toarray() / self.n_documents
        alone = np.diag(together).copy()
        values = []
        for i in range(len(index)):
            for j in range(i + 1, len(index)):
                joint = together[i, j]
                if joint == 0:
                    values.append(-1.0)
                elif joint == 1:
                    values.append(1.0)
                else:
                    values.append(np.log(joint / (alone[i] * alone[j])) / -np.log(joint))
        return float(np.mean(values))


def term_metrics(term_space: TermSpace, labels: np.ndarray, top_n: int) -> dict:
    topics = {label: terms for label, terms in term_space.class_terms(labels, top_n).items() if label != OUTLIER}
    if not topics:
        return {"npmi": float("nan"), "diversity": float("nan")}
    coherences = [term_space.npmi(terms) for terms in topics.values()]
    coherences = [value for value in coherences if not np.isnan(value)]
    all_terms = [term for terms in topics.values() for term in terms]
    return {
        "npmi": float(np.mean(coherences)) if coherences else float("nan"),
        "diversity": len(set(all_terms)) / len(all_terms) if all_terms else float("nan"),
    }
