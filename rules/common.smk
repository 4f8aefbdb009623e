import json
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import Paramspace, validate

# The library lives at the top of the repository; make it importable for the Snakefile itself.
sys.path.insert(0, workflow.basedir)

from jobtopics.codeversion import code_version  # noqa: E402
from jobtopics.errors import ConfigError  # noqa: E402
from jobtopics.embed import embedding_id  # noqa: E402
from jobtopics.fits import FIT_ID_PATTERN, FIT_INPUTS, vector_fingerprint  # noqa: E402
from jobtopics.llm import public_address  # noqa: E402
from jobtopics.occupations import shipped_vectors_path  # noqa: E402
from jobtopics.settings import check_config  # noqa: E402
from jobtopics.sweep.grid import (
    CLUSTER_PARAMS,
    cell_folder,
    cell_table,
    cluster_table,
    space_table,
)  # noqa: E402

try:
    check_config(config, f"{workflow.basedir}/config/schema.yaml")
except ConfigError as error:
    # One line naming the key, shown by Snakemake without a traceback.
    raise WorkflowError(f"jobtopics: {error}") from None
validate(config, "../config/schema.yaml")


# A fitted map's folder: results/fit/<id>, where <id> hashes its title set (see jobtopics/fits.py).
FIT = "results/fit/{fit}"
FIT_LOGS = "logs/fit/{fit}"


wildcard_constraints:
    fit=FIT_ID_PATTERN,


def script_code_version(script):
    """A hash of the jobtopics modules scripts/<script>.py imports, passed as a param: Snakemake reruns a step
    when its script changes but not when the library does, so a library edit reruns exactly the steps that run
    the edited code (and what follows them)."""
    basedir = Path(workflow.basedir)
    return code_version(basedir / "scripts" / f"{script}.py", basedir)


def final_targets():
    return [
        "results/assignments.csv",
        "results/report/report.html",
        "results/report/map.html",
    ]


def fit_inputs(wildcards):
    """The current map's staged inputs are targets too: a later export can only come back to a map that still has
    them, so a deleted one is staged again (and the map's steps rerun on it) by a plain rerun.
    """
    return [f"results/fit/{current_fit()}/{name}" for name in FIT_INPUTS]


def fit_fingerprint():
    """The settings that make the vectors: a map fitted under others is never reused."""
    return vector_fingerprint(config["embed"], enrich_mode(), config["llm"])


def current_fit():
    """The id of the fitted map this run uses, as chosen by the choose_fit checkpoint. A reused map whose inputs
    have gone (deleted by hand) cannot be rebuilt from this export: the run then fits its own map.
    """
    choice = json.loads(
        Path(checkpoints.choose_fit.get().output.choice).read_text(encoding="utf-8")
    )
    fit, own_fit = choice["fit"], choice.get("own_fit", choice["fit"])
    if fit != own_fit and not all(
        Path(f"results/fit/{fit}/{name}").exists() for name in FIT_INPUTS
    ):
        logger.warning(
            f"jobtopics: the fitted map results/fit/{fit} lost its inputs; fitting a map on the current titles "
            f"(results/fit/{own_fit})"
        )
        return own_fit
    return fit


def fit_folder():
    """The folder of the fitted map this run uses."""
    return f"results/fit/{current_fit()}"


# O*NET's occupations embedded with the titles' model (rule occupation_vectors).
ONET_VECTORS = "results/occupations/onet_vectors.npy"


def occupation_vectors_shipped():
    embedding = embedding_id(
        config["embed"]["model"], config["embed"]["local_language"]
    )
    return shipped_vectors_path(embedding).exists()


def label_occupation_vectors():
    """O*NET's vectors, whose occupations are naming candidates (not in label.mode terms)."""
    if config["label"]["mode"] == "terms":
        return []
    return ONET_VECTORS


def fit_labels(fit):
    """A fitted map's final topic per title: after outlier reassignment when outliers.activate, else after the
    label step's refinement."""
    if config["outliers"]["activate"]:
        return f"{fit}/outliers/labels.parquet"
    return f"{fit}/label/labels.parquet"


def place_inputs(wildcards):
    fit = fit_folder()
    return {
        "fit_titles": f"{fit}/titles.parquet",
        "fit_embeddings": f"{fit}/embeddings.npy",
        "fit_map_space": f"{fit}/reduce/umap2.npy",  # rule map_layout
        "fit_labels": fit_labels(fit),
    }


def narrative_inputs(wildcards):
    return {"fit_labels": fit_labels(fit_folder())}


def assign_inputs(wildcards):
    return {"topic_categories": f"{fit_folder()}/label/topic_categories.parquet"}


# The llm keys that decide the answers (and how many are asked for). The others (api_key_env, timeout_s,
# max_retries, max_concurrency, dry_run, cache_dir, prices, the embedded server's threads and device) only change
# how answers are fetched or costed: the scripts read them from the config, so changing them reruns nothing.
LLM_ANSWER_KEYS = [
    "base_url",
    "model",
    "temperature",
    "seed",
    "max_tokens",
    "response_format",
    "max_requests",
    "local/n_ctx",
]
# The embed keys that decide the vectors; batch_size (speed only) is read from the config by the scripts.
EMBEDDING_KEYS = ["model", "local_language", "device", "text"]


def llm_answer_settings():
    return {key: lookup(dpath=f"llm/{key}", within=config) for key in LLM_ANSWER_KEYS}


def embedding_settings():
    return {key: lookup(dpath=f"embed/{key}", within=config) for key in EMBEDDING_KEYS}


def enrich_mode():
    """auto: describe titles only with a configured endpoint; the embedded SmolLM2's descriptions lowered
    agreement with occupation groups when the method benchmark measured them (at fc45edc, config/README.md), so
    without one the titles are embedded as they are.
    """
    mode = config["enrich"]["mode"]
    if mode == "auto":
        return "llm" if config["llm"]["base_url"] else "none"
    return mode


def embedded_llm_on_gpu():
    return not config["llm"]["base_url"] and config["llm"]["local"]["device"] == "cuda"


def gpu_count(step):
    """1 when the step is configured to run on a GPU (a SLURM job then asks for one), else 0: the steps that embed
    (embed, O*NET's vectors, the label step's candidate names unless label.mode is terms) follow embed.device; the
    steps that ask the embedded LLM follow llm.local.device."""
    embeds_on_gpu = config["embed"]["device"] == "cuda"
    if step == "embed":
        return int(embeds_on_gpu)
    if step == "occupation_vectors":
        # The package ships them for the default model: nothing to embed.
        return int(embeds_on_gpu and not occupation_vectors_shipped())
    if step == "enrich":
        return int(enrich_mode() == "llm" and embedded_llm_on_gpu())
    if step == "label":
        mode = config["label"]["mode"]
        return int(
            (mode != "terms" and embeds_on_gpu)
            or (mode == "llm" and embedded_llm_on_gpu())
        )
    if step == "narrative":
        return int(config["report"]["narrative"] == "llm" and embedded_llm_on_gpu())
    return 0


def report_parameters():
    """Each step's settings as recorded in the report's provenance: the API key is never in config, and a
    proxy's credentials written into llm.base_url are left out."""
    return {
        "ingest": {"input_format": config["input_format"]},
        "enrich": {**config["enrich"], "resolved mode": enrich_mode()},
        "llm": {
            **llm_answer_settings(),
            "base_url": public_address(config["llm"]["base_url"]),
        },
        "embed": embedding_settings(),
        "reduce": config["reduce"],
        "cluster": config["cluster"],
        "topics": config["topics"],
        "label": config["label"],
        "outliers": config["outliers"],
        "sweep": (
            config["sweep"] if config["sweep"]["activate"] else {"activate": False}
        ),
        "occupations": config["occupations"],
        "update": config["update"],
        "report": config["report"],
    }


# --- Sensitivity sweep: one folder per cell, laid out by Snakemake's Paramspace ---
SWEEP_GRID = config["sweep"]["grid"]
SWEEP_CELLS = Paramspace(cell_table(SWEEP_GRID), filename_params=list(CLUSTER_PARAMS))
SWEEP_SPACES = Paramspace(space_table(SWEEP_GRID))
SWEEP_SPACES_INDEX = {
    space: i for i, space in enumerate(SWEEP_SPACES.instance_patterns)
}


def sweep_batches():
    """UMAP spaces dealt round-robin into sweep.jobs batches: one job (one process) per batch.

    Every new process pays ~5-8 s of imports and numba JIT before its first UMAP, so a
    job runs several spaces; on a cluster set sweep.jobs to the number of spaces.
    """
    spaces = list(SWEEP_SPACES.instance_patterns)
    n_jobs = min(config["sweep"]["jobs"], len(spaces))
    return {batch: spaces[batch::n_jobs] for batch in range(n_jobs)}


def sweep_space_settings(spaces):
    records = SWEEP_SPACES.dataframe.to_dict("records")
    return [records[SWEEP_SPACES_INDEX[space]] for space in spaces]


def sweep_batch_files(spaces, name):
    """One file per cell of the given spaces (every space runs all HDBSCAN settings)."""
    return [
        f"{FIT}/sweep/{cell_folder({**space, **setting})}/{name}"
        for space in sweep_space_settings(spaces)
        for setting in sweep_cluster_settings()
    ]


def sweep_all_cells(name):
    return [f"{FIT}/sweep/{cell}/{name}" for cell in SWEEP_CELLS.instance_patterns]


def sweep_cluster_settings():
    return cluster_table(SWEEP_GRID).to_dict("records")


def recommended_setting():
    """The sweep's recommendation feeds the main reduce/cluster steps when cluster.params is auto."""
    if config["cluster"]["params"] == "auto":
        return f"{FIT}/sweep/recommended.json"
    return []


def category_grouping():
    """The label and outliers steps' settings, with which the sweep replays the categories of its shortlist.
    Without grey groups (label.grey_group_min_titles): made of a setting's noise and alike by construction, they
    would make a setting that leaves more titles grey look better separated."""
    outliers = config["outliers"]
    return {
        "n_categories": config["label"]["n_categories"],
        "max_share": config["label"]["max_category_share"],
        "refine_min_gain": config["label"]["refine_min_gain"],
        "rank_cohesion_drop": config["label"]["rank_cohesion_drop"],
        "min_similarity": outliers["min_similarity"] if outliers["activate"] else None,
    }


def label_replay():
    """The label and outliers steps' settings, grey groups included: the report replays both steps on the sweep's
    runs to count the people whose category would change (with cluster.params auto, the chosen run's replay is
    the map itself).
    """
    return {
        **category_grouping(),
        "grey_group_min_titles": config["label"]["grey_group_min_titles"],
        "grey_group_max_distance": config["label"]["grey_group_max_distance"],
    }


def sweep_space_points():
    """Every sweep space's UMAP points: with cluster.params auto the main reduce takes the recommended space's
    instead of fitting the same UMAP again (SWEEP_SPACES' order, as in sweep_space_records()).
    """
    if config["cluster"]["params"] != "auto":
        return []
    return [f"{FIT}/sweep/{space}/umap.npy" for space in SWEEP_SPACES.instance_patterns]


def sweep_space_records():
    """The settings of each sweep space, in the order of sweep_space_points()."""
    if config["cluster"]["params"] != "auto":
        return []
    return SWEEP_SPACES.dataframe.to_dict("records")


def report_inputs(wildcards):
    """The fitted map's tables, and the inputs of the optional sections: occupations ("who is missing") and
    the sweep (Sensitivity)."""
    fit = fit_folder()
    inputs = {
        "fit_titles": f"{fit}/titles.parquet",
        "fit_labels": fit_labels(fit),
        "cluster_labels": f"{fit}/cluster/labels.parquet",
        "categories": f"{fit}/label/categories.parquet",
        "topic_categories": f"{fit}/label/topic_categories.parquet",
        "label_usage": f"{fit}/label/llm_usage.json",
        "naming_audit": f"{fit}/label/naming_audit.parquet",
    }
    if config["report"]["narrative"] == "llm":
        inputs["narrative"] = "results/narrative/narrative.json"
    if config["occupations"]["activate"]:
        inputs["occupations"] = "results/occupations/title_occupations.parquet"
    if not config["sweep"]["activate"]:
        return inputs
    return {
        **inputs,
        "sweep_settings": f"{fit}/sweep/settings.parquet",
        "fit_embeddings": f"{fit}/embeddings.npy",
        "fit_level_free": f"{fit}/level_free.npy",
        "sweep_cells": f"{fit}/sweep/cells.parquet",
        "sweep_recommended": f"{fit}/sweep/recommended.json",
        "sweep_labels": [
            path.replace(FIT, fit) for path in sweep_all_cells("labels.parquet")
        ],
    }


def step_is_active(step):
    """Whether a step runs in this configuration: the optional ones sit behind their switches."""
    if step.startswith("sweep_"):
        return config["sweep"]["activate"]
    switches = {
        "occupations": config["occupations"]["activate"],
        "occupation_vectors": config["occupations"]["activate"]
        or config["label"]["mode"] != "terms",
        "outliers": config["outliers"]["activate"],
        "narrative": config["report"]["narrative"] == "llm",
    }
    return switches.get(step, True)


def run_steps(fitted):
    """This configuration's steps in workflow order, read from the rules: the fitted map's (their benchmarks sit
    in results/fit/<id>/) or the others (results/benchmarks/). The report step times itself after it is done.
    """
    return [
        step.name
        for step in workflow.rules
        if step.benchmark is not None
        and step.name != "report"
        and ("fit" in step.wildcard_names) == fitted
        and step_is_active(step.name)
    ]


def report_benchmarks(wildcards):
    """The benchmark files of this run's own steps, for the runtime table in the report (the fitted map's steps
    are read from its folder when present: a reused map was fitted by an earlier run).
    """
    return [f"results/benchmarks/{step}.tsv" for step in run_steps(fitted=False)]


def fit_steps(wildcards):
    """The fitted map's steps, in workflow order."""
    return run_steps(fitted=True)
