"""Snakemake glue: normalise and deduplicate job titles."""

import pandas as pd

from jobtopics.step import log, run_step
from jobtopics.titles import build_titles


def main():
    people = pd.read_parquet(snakemake.input.people)
    titles, person_titles = build_titles(people)
    titles.to_parquet(snakemake.output.titles, index=False)
    person_titles.to_parquet(snakemake.output.person_titles, index=False)
    log.info("titles: %d people, %d unique titles", len(people), len(titles))


run_step(snakemake.log[0], main)
