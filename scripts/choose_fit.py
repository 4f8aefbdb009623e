"""Snakemake glue (checkpoint): reuse the closest fitted map or start a new one; see jobtopics.fits."""

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.fits import choose_fit, existing_fits, set_aside_stale_fit, vectors_unchanged
from jobtopics.language import is_english
from jobtopics.step import log, run_step
from jobtopics.texts import embedding_texts


def main():
    inputs, params = snakemake.input, snakemake.params
    titles = pd.read_parquet(inputs.titles)
    embeddings = np.load(inputs.embeddings)
    # A local-language title's vector depends on the English titles beside it (embed.local_language: pivot), so
    # only English texts must embed exactly as when the map was fitted.
    english = np.array([is_english(text) for text in
                        embedding_texts(titles, pd.read_parquet(inputs.descriptions), params.text)], dtype=bool)
    root = Path(snakemake.output.choice).parent  # every fitted map sits beside the choice
    choice = choose_fit(titles["title_key"], params.fingerprint, existing_fits(root), params.refit_share,
                        lambda fit: vectors_unchanged(root / fit.fit, titles["title_key"], embeddings, english,
                                                      titles["title"]))
    if choice.stale:
        set_aside_stale_fit(root, choice.fit, Path(snakemake.log[0]).parent / "fit")
    Path(snakemake.output.choice).write_text(json.dumps(asdict(choice), indent=1), encoding="utf-8")
    log.info("fit %s: %s (%d titles now, %d new, %d gone)", choice.fit, choice.reason, choice.titles_now,
             choice.new_titles, choice.gone_titles)


run_step(snakemake.log[0], main)
