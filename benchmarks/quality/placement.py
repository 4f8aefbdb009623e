"""How well does update.weak_placement_similarity separate new titles the map knows from titles it does not?

Reads the bundled example's fitted map from a finished `make run` (results/fit/<id>/ under the configured
embedding) and writes docs/placement.md:
- every fitted title placed onto the other fitted titles as if it were new (leave one out): its
  neighbor similarity, and whether its placement agrees with its own topic;
- titles of occupations the example does not have, and new titles like the example's, placed onto the map.

    .venv/bin/python benchmarks/quality/placement.py [--out docs/placement.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from jobtopics.embed import embed_texts  # noqa: E402
from jobtopics.enrich import descriptions_without_llm  # noqa: E402
from jobtopics.occupations import english_title_pool  # noqa: E402
from jobtopics.place import place_titles  # noqa: E402
from jobtopics.report.build import jobtopics_version  # noqa: E402
from jobtopics.texts import embedding_texts  # noqa: E402
from jobtopics.titles import title_key  # noqa: E402

# Occupations the generator never writes (data/make_example.py), some in a local language.
ABSENT = ["Pastry Chef", "Bus Driver", "Opera Singer", "Police Officer", "Krankenpfleger", "Plumber", "Farmer",
          "Firefighter", "Dentist", "Airline Pilot", "Carpenter", "Librarian", "Veterinarian", "Electrician",
          "Hairdresser", "Panadero", "Kierowca autobusu"]
# New spellings of roles the example has.
LIKE_THE_EXAMPLE = ["Senior Data Analyst II", "Backend Developer (Payments)", "Lead Product Designer",
                    "Head of Talent Acquisition", "Staff Machine Learning Engineer", "Junior Project Manager",
                    "Analista de datos senior", "Entwicklerin Backend", "Marketing Lead, EMEA", "Research Fellow"]
THRESHOLDS = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65]


def fitted_map(config: dict) -> Path:
    """The newest fit under the configured embedding."""
    wanted = {"embed_model": config["embed"]["model"], "embed_local_language": config["embed"]["local_language"]}
    fits = [path.parent for path in (ROOT / "results" / "fit").glob("*/fit.json")
            if all(json.loads(path.read_text())["fingerprint"].get(k) == v for k, v in wanted.items())
            and (path.parent / "cluster" / "labels.parquet").exists()]
    if not fits:
        sys.exit("placement.py: no fitted map under the configured embedding in results/fit/: run `make run` first")
    return max(fits, key=lambda fit: (fit / "cluster" / "labels.parquet").stat().st_mtime)


def leave_one_out(keys: pd.Series, vectors: np.ndarray, points: np.ndarray, topics: np.ndarray,
                  neighbors: int) -> pd.DataFrame:
    rows = []
    for i in range(len(keys)):
        others = np.arange(len(keys)) != i
        placed = place_titles(keys.iloc[[i]], vectors[[i]], keys[others].reset_index(drop=True), vectors[others],
                              points[others], topics[others], neighbors)
        rows.append({"similarity": float(placed["neighbor_similarity"].iat[0]),
                     "agrees": bool(placed["topic"].iat[0] == topics[i])})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "placement.md"))
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fit = fitted_map(config)
    labels = pd.read_parquet(fit / "cluster" / "labels.parquet")
    vectors = np.load(fit / "embeddings.npy")
    points = np.load(fit / "reduce" / "umap2.npy")
    topics = labels["topic"].to_numpy()
    neighbors = config["update"]["neighbors"]
    fitted = leave_one_out(labels["title_key"], vectors, points, topics, neighbors)

    embed = config["embed"]
    # As the embed step did: the network's own texts and O*NET's titles are there to borrow from.
    fitted_texts = embedding_texts(pd.read_parquet(fit / "titles.parquet"), pd.read_parquet(fit / "descriptions.parquet"),
                                   embed["text"])
    pool = fitted_texts + english_title_pool()
    new_rows = []
    for kind, texts in (("absent occupation", ABSENT), ("like the example's", LIKE_THE_EXAMPLE)):
        # Embedded as the workflow embeds a new title without an endpoint (embed.text of the title itself).
        new_titles = pd.DataFrame({"title_key": [title_key(text) for text in texts], "title": texts})
        new_texts = embedding_texts(new_titles, descriptions_without_llm(new_titles), embed["text"])
        new_vectors = embed_texts(new_texts, embed["model"], local_language=embed["local_language"], pool=pool)
        placed = place_titles(pd.Series(texts), new_vectors, labels["title_key"], vectors, points, topics, neighbors)
        new_rows += [{"kind": kind, "title": text, "similarity": float(s)}
                     for text, s in zip(texts, placed["neighbor_similarity"])]
    new = pd.DataFrame(new_rows)

    lines = ["# Placement onto a fitted map: where a new title fits weakly", "",
             "Generated by `benchmarks/quality/placement.py` from the bundled example's fitted map "
             f"({len(labels)} titles, {neighbors} neighbors; embedding `{embed['model']}`, local_language "
             f"`{embed['local_language']}`, text `{embed['text']}`; jobtopics {jobtopics_version(ROOT)}); do not edit by hand.", "",
             "A title placed onto the map *fits weakly* when its mean cosine similarity to its nearest fitted "
             "titles is below `update.weak_placement_similarity` "
             f"(shipped: {config['update']['weak_placement_similarity']}).", "",
             "| threshold | fitted titles below (left out one at a time) | their placement agrees with their own topic "
             "(below / at or above) | absent occupations below | new titles like the example's below |",
             "|---:|---:|---:|---:|---:|"]
    for threshold in THRESHOLDS:
        below = fitted["similarity"] < threshold
        agree_below = fitted.loc[below, "agrees"].mean() if below.any() else float("nan")
        agree_above = fitted.loc[~below, "agrees"].mean() if (~below).any() else float("nan")
        absent = new[new["kind"] == "absent occupation"]["similarity"] < threshold
        like = new[new["kind"] == "like the example's"]["similarity"] < threshold
        lines.append(f"| {threshold:g} | {below.mean():.0%} | {agree_below:.0%} / {agree_above:.0%} | "
                     f"{absent.sum()} of {len(absent)} | {like.sum()} of {len(like)} |")
    lines += ["", "| new title | kind | neighbor similarity |", "|---|---|---:|"]
    lines += [f"| {row.title} | {row.kind} | {row.similarity:.2f} |"
              for row in new.sort_values("similarity").itertuples()]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
