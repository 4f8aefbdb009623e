"""Snakemake glue: O*NET's occupations embedded with the titles' model (shipped vectors for the default model)."""

from pathlib import Path

import numpy as np

from jobtopics.embed import embed_texts
from jobtopics.embed_cache import cached_embeddings
from jobtopics.occupations import load_occupations, occupation_vectors
from jobtopics.step import log, run_step


def main():
    settings = snakemake.params.embed
    batch_size, cache_dir = snakemake.config["embed"]["batch_size"], Path(snakemake.config["llm"]["cache_dir"])

    def embed(texts):
        vectors, _ = cached_embeddings(texts, settings["model"], cache_dir / "embeddings.sqlite",
                                       lambda missing: embed_texts(missing, settings["model"], settings["device"],
                                                                   batch_size))
        return vectors

    occupations = load_occupations()
    vectors = occupation_vectors(occupations, settings["model"], embed)
    np.save(snakemake.output.vectors, vectors)
    log.info("occupation vectors: %d O*NET occupations, %d dimensions", *vectors.shape)


run_step(snakemake.log[0], main)
