"""Class-based TF-IDF (BERTopic's ClassTfidfTransformer): the one place topic and category terms are computed.

The documents' term counts are built once; a class's counts are the sum of its documents' counts, which is what
BERTopic's own pipeline counts on the class's joined documents, except that n-grams never span two documents
("Senior Developer" + "Data Engineer" never yields "developer data"). The sweep scores many labellings of the same
documents against one TermCounts.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

import numpy as np
import scipy.sparse as sp

_TOKEN = re.compile(r"(?u)\b\w[\w+#.-]*\w\b|\b\w\b")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b", re.IGNORECASE)


def without_possessive(text: str) -> str:
    """"Teacher's Assistant" -> "Teacher Assistant": the "s" is no word of its own (single letters such as "R" or
    "C" are)."""
    return _POSSESSIVE.sub("", text)


def term_analyzer(text: str) -> list[str]:
    """Unigrams and bigrams of one document, English stop words removed (other languages' words kept)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    tokens = [token for token in _TOKEN.findall(without_possessive(text).lower()) if token not in ENGLISH_STOP_WORDS]
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


class TermCounts:
    """The documents' term counts, built once and shared by every labelling scored on them."""

    def __init__(self, documents: list[str]):
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer = CountVectorizer(analyzer=term_analyzer)
        self.counts = self.vectorizer.fit_transform(documents).tocsr() if documents else sp.csr_matrix((0, 0))
        self.terms = self.vectorizer.get_feature_names_out() if documents else np.array([], dtype=object)
        self.present = (self.counts > 0).astype(np.float64).tocsc()
        self.n_documents = self.counts.shape[0]

    def class_terms(self, labels: np.ndarray, top_n: int) -> dict[int, list[str]]:
        """The top_n c-TF-IDF terms of every label (outliers are a class of their own, as in BERTopic)."""
        classes = sorted(set(labels.tolist()))
        if not classes or self.counts.shape[1] == 0:
            return {label: [] for label in classes}
        membership = sp.csr_matrix(
            (np.ones(labels.size), ([classes.index(c) for c in labels.tolist()], np.arange(labels.size))),
            shape=(len(classes), labels.size),
        )
        transformer = class_tfidf_transformer()(reduce_frequent_words=True)
        scores = transformer.fit_transform(membership @ self.counts).toarray()
        result = {}
        for row, label in enumerate(classes):
            order = np.argsort(-scores[row], kind="stable")[:top_n]
            result[label] = [str(self.terms[i]) for i in order if scores[row, i] > 0]
        return result


@functools.cache
def class_tfidf_transformer() -> type:
    """BERTopic's ClassTfidfTransformer class.

    Its module needs only scikit-learn, but `from bertopic.vectorizers import ...` first runs bertopic's __init__,
    which imports torch, transformers, UMAP and HDBSCAN: about 7 s on 2 cores in each of the four steps that compute
    terms. So the installed module is loaded by itself, and the package import is the fallback for a layout that
    moved it."""
    package = importlib.util.find_spec("bertopic")
    module_file = Path(package.origin).parent / "vectorizers" / "_ctfidf.py" if package and package.origin else None
    if module_file is None or not module_file.is_file():
        from bertopic.vectorizers import ClassTfidfTransformer

        return ClassTfidfTransformer
    spec = importlib.util.spec_from_file_location("jobtopics._bertopic_ctfidf", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ClassTfidfTransformer
