"""Topic terms with BERTopic's class-based TF-IDF, on clusters found elsewhere.

BERTopic's manual pipeline: the reduction and clustering steps are skipped
(BaseDimensionalityReduction, BaseCluster) and the precomputed labels are
passed as `y`, so BERTopic only builds the c-TF-IDF representation.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from .names import OUTLIER


log = logging.getLogger(__name__)

# BERTopic joins a topic's documents with spaces before counting n-grams; this marker
# (kept by its multilingual preprocessing) lets the analyzer stop bigrams at document
# ends, so "Senior Developer" + "Data Engineer" never yields the term "developer data".
DOCUMENT_END = " ¶ "
_TOKEN = re.compile(r"(?u)\b\w[\w+#.-]*\w\b|\b\w\b")


def term_analyzer(text: str) -> list[str]:
    """Unigrams and bigrams within each document, English stop words removed."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    terms = []
    for segment in text.split(DOCUMENT_END.strip()):
        tokens = [t for t in _TOKEN.findall(segment.lower()) if t not in ENGLISH_STOP_WORDS]
        terms.extend(tokens)
        terms.extend(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    return terms


def topic_terms(documents: list[str], embeddings: np.ndarray, labels: np.ndarray, top_n: int) -> dict[int, list[str]]:
    """Top c-TF-IDF terms per label (outliers included as their own class, as BERTopic does)."""
    if len(set(labels.tolist()) - {OUTLIER}) == 0:
        return {}
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    model = BERTopic(
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=CountVectorizer(analyzer=term_analyzer),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        # "multilingual" keeps non-ASCII terms ("máquinas"); with embeddings given, no model is loaded.
        language="multilingual",
        top_n_words=top_n,
        calculate_probabilities=False,
        verbose=False,
    )
    model.fit([document + DOCUMENT_END for document in documents], embeddings=embeddings, y=labels)
    # BERTopic renumbers topics by size; map its numbers back to ours through the documents.
    ours_to_bertopic = dict(zip(labels.tolist(), model.topics_))
    terms = {}
    for label in sorted(set(labels.tolist())):
        words = model.get_topic(ours_to_bertopic[label]) or []
        terms[label] = [word for word, score in words if word and score > 0][:top_n]
    return terms


def representative_titles(titles: pd.DataFrame, embeddings: np.ndarray, labels: np.ndarray, n: int) -> dict[int, list[str]]:
    """Per label: the n titles held by the most people, ties broken by closeness to the label's centroid."""
    examples = {}
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        centroid = embeddings[members].mean(axis=0)
        similarity = embeddings[members] @ centroid
        order = sorted(range(len(members)), key=lambda i: (-int(titles["n_people"].iat[members[i]]), -similarity[i],
                                                            titles["title"].iat[members[i]]))
        examples[label] = [titles["title"].iat[members[i]] for i in order[:n]]
    return examples


def build_topic_table(titles: pd.DataFrame, documents: list[str], embeddings: np.ndarray, labels: np.ndarray,
                      top_n_terms: int, n_examples: int) -> pd.DataFrame:
    """topic, n_titles, n_people, terms, examples — one row per topic including -1."""
    terms = topic_terms(documents, embeddings, labels, top_n_terms)
    examples = representative_titles(titles, embeddings, labels, n_examples)
    rows = []
    for label in sorted(set(labels.tolist())):
        members = labels == label
        rows.append({
            "topic": int(label),
            "n_titles": int(members.sum()),
            "n_people": int(titles["n_people"].to_numpy()[members].sum()),
            "terms": terms.get(label, []),
            "examples": examples[label],
        })
    return pd.DataFrame(rows, columns=["topic", "n_titles", "n_people", "terms", "examples"])
