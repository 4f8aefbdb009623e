import sys

from snakemake.utils import validate

# The library lives at the top of the repository; make it importable for the Snakefile itself.
sys.path.insert(0, workflow.basedir)

from jobtopics.settings import check_config  # noqa: E402

check_config(config, f"{workflow.basedir}/config/schema.yaml")
validate(config, "../config/schema.yaml")


def final_targets():
    return [
        "results/assignments.csv",
        "results/report/report.html",
        "results/report/map.html",
    ]


def gpu_count(step):
    """1 when the step is configured to run on a GPU (a SLURM job then asks for one), else 0."""
    if step == "embed":
        return int(config["embed"]["device"] == "cuda")
    if step == "enrich":
        embedded = config["enrich"]["mode"] == "llm" and not config["llm"]["base_url"]
        return int(embedded and config["llm"]["local"]["device"] == "cuda")
    return 0


def report_parameters():
    """Each step's settings as recorded in the report's provenance (no secrets are in config)."""
    return {
        "ingest": {"input_format": config["input_format"]},
        "enrich": config["enrich"],
        "llm": config["llm"],
        "embed": config["embed"],
        "reduce": config["reduce"],
        "cluster": config["cluster"],
        "topics": config["topics"],
        "label": config["label"],
    }
