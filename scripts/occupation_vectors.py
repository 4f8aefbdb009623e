"""Snakemake glue: O*NET's occupations embedded with the titles' model (shipped vectors for the default model)."""

from pathlib import Path

import numpy as np

from jobtopics.embed import embed_texts, embedding_id
from jobtopics.occupations import english_title_pool, load_occupations, occupation_vectors
from jobtopics.step import log, run_step, use_threads


def main():
    use_threads(snakemake.threads)
    settings = snakemake.params.embed
    batch_size, cache_dir = snakemake.config["embed"]["batch_size"], Path(snakemake.config["llm"]["cache_dir"])

    def embed(texts):
        return embed_texts(texts, settings["model"], settings["device"], batch_size, snakemake.threads,
                           local_language=settings["local_language"], pool=english_title_pool(),
                           cache_path=cache_dir / "embeddings.sqlite")

    occupations = load_occupations()
    vectors = occupation_vectors(occupations, embedding_id(settings["model"], settings["local_language"]), embed)
    np.save(snakemake.output.vectors, vectors)
    log.info("occupation vectors: %d O*NET occupations, %d dimensions", *vectors.shape)


run_step(snakemake.log[0], main)
