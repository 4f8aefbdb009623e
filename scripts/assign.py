"""Snakemake glue: every person gets the topic, category and map point of their title."""

import pandas as pd

from jobtopics.assign import assign_people
from jobtopics.step import run_step
from jobtopics.tables import write_csv_safely


def main():
    inputs = snakemake.input
    titles = pd.read_parquet(inputs.titles)
    placed = pd.read_parquet(inputs.placed)
    if not placed["title_key"].equals(titles["title_key"]):
        raise ValueError("placed titles are not in the order of the titles table")
    assignments = assign_people(pd.read_parquet(inputs.people), pd.read_parquet(inputs.person_titles), titles,
                                placed["topic"].to_numpy(), placed[["x", "y"]].to_numpy(),
                                pd.read_parquet(inputs.topic_categories))
    assignments.to_parquet(snakemake.output.assignments, index=False)
    write_csv_safely(assignments, snakemake.output.assignments_csv)


run_step(snakemake.log[0], main)
