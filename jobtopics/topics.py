"""A level's topic table: c-TF-IDF terms (jobtopics.terms) and representative titles per topic."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .names import OUTLIER
from .terms import TermCounts

log = logging.getLogger(__name__)


def topic_terms(documents: list[str], labels: np.ndarray, top_n: int) -> dict[int, list[str]]:
    """Top c-TF-IDF terms per label (outliers included as their own class, as BERTopic does)."""
    if len(set(labels.tolist()) - {OUTLIER}) == 0:
        return {}
    return TermCounts(documents).class_terms(labels, top_n)


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
    terms = topic_terms(documents, labels, top_n_terms)
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
