"""Snakemake glue: write a new fitted map's inputs (the current titles, descriptions and vectors) into its folder."""

from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.errors import InputError
from jobtopics.fits import fit_id, write_fit_inputs
from jobtopics.step import log, run_step


def main():
    inputs, params = snakemake.input, snakemake.params
    titles = pd.read_parquet(inputs.titles)
    # The folder's name is the hash of its titles: only the current titles' own map can be written from them.
    if fit_id(titles["title_key"], params.fingerprint) != snakemake.wildcards.fit:
        raise InputError(f"results/fit/{snakemake.wildcards.fit} was fitted on another set of titles and its inputs "
                         "are gone: it cannot be rebuilt from this export")
    write_fit_inputs(Path(snakemake.output.info).parent, params.fingerprint, titles,
                     pd.read_parquet(inputs.descriptions), np.load(inputs.embeddings), np.load(inputs.level_free))
    log.info("fit %s: inputs of %d titles written", snakemake.wildcards.fit, len(titles))


run_step(snakemake.log[0], main)
