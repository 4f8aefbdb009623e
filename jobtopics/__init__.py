"""jobtopics: map what a LinkedIn network does for a living.

The library behind the Snakemake workflow: every step's logic lives here as plain
functions over DataFrames and arrays, so it can be tested without Snakemake.
"""

__version__ = "0.1.0"
