"""Snakemake glue: term metrics, seed stability, the settings table and the recommendation."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.grouping import category_per_title, category_silhouette
from jobtopics.step import log, run_step
from jobtopics.sweep.grid import CELL_PARAMS, cell_folder
from jobtopics.sweep.select import SelectionRule, recommend
from jobtopics.sweep.summary import add_term_metrics, cell_id, seed_agreement, setting_table
from jobtopics.tables import write_csv_safely
from jobtopics.texts import embedding_texts


def main():
    cells = pd.DataFrame(snakemake.params.cells)[list(CELL_PARAMS)]
    folders = {cell_folder(cell): cell_id(cell) for cell in cells.to_dict("records")}
    labels, metrics = {}, []
    sweep_dir = Path(snakemake.output.settings).parent
    for labels_path, metrics_path in zip(snakemake.input.labels, snakemake.input.metrics):
        key = folders[str(Path(labels_path).parent.relative_to(sweep_dir))]
        labels[key] = pd.read_parquet(labels_path)["topic"].to_numpy()
        metrics.append({**dict(zip(CELL_PARAMS, key)), **json.loads(Path(metrics_path).read_text())})
    cells = cells.merge(pd.DataFrame(metrics), on=list(CELL_PARAMS), how="left")
    titles = pd.read_parquet(snakemake.input.titles)
    documents = embedding_texts(titles, pd.read_parquet(snakemake.input.descriptions), snakemake.params.text)
    cells = add_term_metrics(cells, labels, documents, snakemake.params.top_n)
    stability = seed_agreement(cells, labels)
    settings = setting_table(cells, stability)
    embeddings, people = np.load(snakemake.input.embeddings), titles["n_people"].to_numpy()
    level_free = np.load(snakemake.input.level_free)

    def separation(setting: dict, seed: int) -> float:
        categories = category_per_title(embeddings, labels[cell_id({**setting, "seed": seed})], people,
                                        level_free=level_free, **snakemake.params.grouping)
        return category_silhouette(embeddings, categories)

    recommendation = recommend(settings, stability, sorted(cells["seed"].unique().tolist()),
                               SelectionRule.from_config(snakemake.params.selection), separation)
    cells.to_parquet(snakemake.output.cells, index=False)
    write_csv_safely(cells, snakemake.output.cells_csv)
    settings.to_parquet(snakemake.output.settings_table, index=False)
    write_csv_safely(settings, snakemake.output.settings)
    stability.to_parquet(snakemake.output.stability, index=False)
    Path(snakemake.output.recommended).write_text(json.dumps(recommendation, indent=1, default=float), encoding="utf-8")
    log.info("sweep: %d cells, %d settings; recommended %s %s", len(cells), len(settings),
             recommendation["reduce"], recommendation["cluster"])


run_step(snakemake.log[0], main)
