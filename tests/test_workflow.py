"""End to end: the real workflow (embedding model, UMAP, HDBSCAN, BERTopic) on a slice of the example,
with the LLM served by the fake OpenAI-compatible server over real HTTP."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def plotly_traces(html_text: str, div_id: str = "network-map") -> list[dict]:
    """The data array of the plotly figure drawn into div_id (the form charts.chart_script writes)."""
    call = html_text.find(f'Plotly.newPlot("{div_id}"')
    assert call >= 0, "no plotly figure in the page"
    start = html_text.rindex("var figure = ", 0, call) + len("var figure = ")
    figure, _ = json.JSONDecoder().raw_decode(html_text, start)
    return figure["data"]


def point_count(trace: dict) -> int:
    """Points in a trace; plotly stores numeric arrays as base64 typed arrays ({"dtype", "bdata"})."""
    x = trace["x"]
    if isinstance(x, dict):
        return len(base64.b64decode(x["bdata"])) // np.dtype(x["dtype"]).itemsize
    return len(x)


def fit_folder(workdir):
    """results/fit/<id> of the map the last run used."""
    choice = json.loads((workdir / "results" / "fit" / "current.json").read_text())
    return workdir / "results" / "fit" / choice["fit"]


def test_every_person_gets_exactly_one_category(finished_run):
    workdir, rows, *_ = finished_run
    assignments = pd.read_csv(workdir / "results" / "assignments.csv")
    assert len(assignments) == len(rows)
    assert assignments["id"].is_unique
    assert assignments["category"].notna().all()
    assert {"id", "position", "topic", "topic_label", "category", "x", "y"} <= set(assignments.columns)
    with_title = assignments["title"].notna()
    assert assignments.loc[with_title, ["x", "y"]].notna().all().all()
    assert (assignments.loc[~with_title, "category"] == "No job title").all()
    categories = set(assignments["category"]) - {"Uncategorized", "No job title"}
    assert 2 <= len(categories) <= 20


def test_report_is_self_contained_with_one_point_per_person(finished_run):
    workdir, *_ = finished_run
    html_text = (workdir / "results" / "report" / "report.html").read_text(encoding="utf-8")
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html_text)
    traces = plotly_traces(html_text)
    assignments = pd.read_csv(workdir / "results" / "assignments.csv")
    assert sum(point_count(trace) for trace in traces) == int(assignments["title"].notna().sum())
    if (assignments["category"] == "Uncategorized").any():
        assert traces[0]["name"].startswith("Uncategorized") and traces[0]["marker"]["color"] == "#d3d3d3"
    assert "Uncategorized" not in [t["name"].rsplit(" (", 1)[0] for t in traces[1:]]
    assert "Methods and provenance" in html_text
    map_page = (workdir / "results" / "report" / "map.html").read_text(encoding="utf-8")
    assert sum(point_count(trace) for trace in plotly_traces(map_page)) == len(
        assignments[assignments["title"].notna()])


@pytest.mark.reliability("privacy", "names, e-mails, URLs absent from results, logs, cache, LLM requests")
def test_no_personal_data_anywhere(finished_run):
    workdir, rows, server, *_ = finished_run
    # Full names, profile URLs and e-mail addresses (a lone first name may also be a word in a job title).
    from workflow_run import HEADLINE_CONTACT_DETAILS

    secrets = {row["URL"] for row in rows} | {row["Email Address"] for row in rows}
    secrets |= {f"{row['First Name']} {row['Last Name']}" for row in rows} | set(HEADLINE_CONTACT_DETAILS)
    secrets = {s for s in secrets if len(s.strip()) >= 4}
    assert secrets
    files = [p for folder in ("results", "logs", "cache") for p in (workdir / folder).rglob("*") if p.is_file()]
    leaks = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        leaks += [(path.name, s) for s in secrets if s in text]
    bodies = json.dumps(server.requests, ensure_ascii=False)
    leaks += [("llm requests", s) for s in secrets if s in bodies]
    assert not leaks[:10]


def test_llm_asked_once_per_unique_title(finished_run):
    workdir, _, server, *_ = finished_run
    titles = pd.read_parquet(workdir / "results" / "titles" / "titles.parquet")
    assert sum(server.served_titles.values()) == len(titles)
    assert max(server.served_titles.values()) == 1


@pytest.mark.reliability("determinism", "second invocation: nothing to do")
def test_second_run_has_nothing_to_do(finished_run):
    *_, dry = finished_run
    assert dry.returncode == 0
    assert "Nothing to be done" in dry.stdout + dry.stderr


def test_sweep_cells_feed_the_main_model_and_the_report(finished_run):
    """The 2 x 2 x 2 sweep: one folder per cell, a settings table, and the recommendation used by the main model."""
    import json

    import numpy as np
    import pandas as pd

    workdir = finished_run[0]
    fit = fit_folder(workdir)
    sweep = fit / "sweep"
    cells = sorted(sweep.glob("n_neighbors~*/min_dist~*/n_components~*/seed~*/min_cluster_size~*_min_samples~*"))
    assert len(cells) == 8
    assert all((cell / "labels.parquet").exists() and (cell / "metrics.json").exists() for cell in cells)
    settings = pd.read_csv(sweep / "settings.csv")
    assert len(settings) == 4 and settings["n_seeds"].eq(2).all()
    assert settings["stability_ari"].between(-1, 1).all()
    recommended = json.loads((sweep / "recommended.json").read_text())
    chosen = (f"n_neighbors~{recommended['reduce']['n_neighbors']}/min_dist~0.0/n_components~5/"
              f"seed~{recommended['reduce']['seed']}/min_cluster_size~{recommended['cluster']['min_cluster_size']}"
              f"_min_samples~2")
    main = pd.read_parquet(fit / "cluster" / "labels.parquet")["topic"].to_numpy()
    np.testing.assert_array_equal(main, pd.read_parquet(sweep / chosen / "labels.parquet")["topic"].to_numpy())
    report = (workdir / "results" / "report" / "report.html").read_text(encoding="utf-8")
    assert "Sensitivity" in report and 'id="sweep-heatmaps"' in report and 'id="sweep-stability"' in report
    assert "People who change category" in report
    assert "The shortlisted settings, chosen first" in report and len(recommended["shortlist"]) >= 1
    best = recommended["shortlist"][0]
    assert (best["min_cluster_size"], best["n_neighbors"]) == (recommended["cluster"]["min_cluster_size"],
                                                             recommended["reduce"]["n_neighbors"])
    assert f"{best['category_silhouette']:.3f}" in report


def test_the_sweep_replays_the_categories_the_label_and_outliers_steps_ship(finished_run):
    """The sweep chooses by the categories of each shortlisted run; its replay of them is what the run ships (the
    sweep leaves grey groups out, rules/common.smk: category_grouping; with them the replay is the shipped run)."""
    import yaml
    from sklearn.metrics import adjusted_rand_score

    from jobtopics.grouping import category_per_title

    fit = fit_folder(finished_run[0])
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    titles = pd.read_parquet(fit / "titles.parquet")
    replayed = category_per_title(
        np.load(fit / "embeddings.npy"), pd.read_parquet(fit / "cluster" / "labels.parquet")["topic"].to_numpy(),
        titles["n_people"].to_numpy(), n_categories=config["label"]["n_categories"],
        max_share=config["label"]["max_category_share"], refine_min_gain=config["label"]["refine_min_gain"],
        min_similarity=config["outliers"]["min_similarity"], rank_cohesion_drop=config["label"]["rank_cohesion_drop"],
        level_free=np.load(fit / "level_free.npy"), grey_group_min_titles=config["label"]["grey_group_min_titles"],
        grey_group_max_distance=config["label"]["grey_group_max_distance"])
    category_of_topic = pd.read_parquet(fit / "label" / "topic_categories.parquet").set_index("topic")["category"]
    shipped = pd.read_parquet(fit / "outliers" / "labels.parquet")["topic"].map(category_of_topic)
    assert len(set(replayed.tolist()) - {-1}) >= 2
    np.testing.assert_array_equal(replayed == -1, (shipped == "Uncategorized").to_numpy())
    assert adjusted_rand_score(shipped, replayed) == 1.0


def test_the_outliers_step_keeps_the_label_steps_moves_on_record(finished_run):
    fit = fit_folder(finished_run[0])
    refined = pd.read_parquet(fit / "label" / "labels.parquet")
    final = pd.read_parquet(fit / "outliers" / "labels.parquet")
    assert final["title_key"].equals(refined["title_key"]) and final["moved"].equals(refined["moved"])
    assert final["dissolved"].equals(refined["dissolved"]) and final["grey_group"].equals(refined["grey_group"])


def test_post_bundle_has_its_figures_and_tables_next_to_it(finished_run):
    workdir = finished_run[0]
    report = workdir / "results" / "report"
    post = report / "post"
    source = (post / "index.qmd").read_text(encoding="utf-8")
    front_matter = source.split("---")[1]
    for field in ("title:", "description:", "date:", "categories:", "image: figures/map.png"):
        assert field in front_matter
    assert "freeze: true" in front_matter
    assert (post / "figures" / "map.png").read_bytes()[:4] == b"\x89PNG"
    for table in ("categories", "connections-per-year", "category-shares-by-year", "companies",
                  "occupation-groups", "sweep-settings"):
        assert len(pd.read_csv(post / "tables" / f"{table}.csv")) > 0, table
    per_year = pd.read_csv(post / "tables" / "connections-per-year.csv")
    assignments = pd.read_csv(workdir / "results" / "assignments.csv")
    dated = pd.to_datetime(assignments["connected_on"], errors="coerce").notna().sum()
    assert per_year["connections"].sum() == dated
    groups = pd.read_csv(post / "tables" / "occupation-groups.csv", dtype={"soc_major": str})
    assert len(groups) == 23 and groups["people"].sum() == int(assignments["title"].notna().sum())
    html_text = (report / "report.html").read_text(encoding="utf-8")
    for section in ("How the network grew", "Where they work", "Occupations: who is missing", "CC BY 4.0"):
        assert section in html_text
    fragment = (report / "map-fragment.html").read_text(encoding="utf-8")
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment and 'id="network-map"' in fragment


def test_snakemake_report_zip_builds(finished_run, tmp_path):
    import zipfile

    from workflow_run import run_workflow

    workdir = finished_run[0]
    target = tmp_path / "report.zip"
    done = run_workflow(workdir, json.loads((workdir / "test-config.yaml").read_text()), "--report", str(target))
    assert done.returncode == 0, done.stderr[-3000:]
    names = zipfile.ZipFile(target).namelist()
    assert any(name.endswith("map.png") for name in names) and any(name.endswith("settings.csv") for name in names)


def test_llm_narrative_comes_with_the_facts_it_was_written_from(finished_run):
    workdir, rows, *_ = finished_run
    story = json.loads((workdir / "results" / "narrative" / "narrative.json").read_text(encoding="utf-8"))
    assert story["polished"] == f"In short: {story['facts']}"  # the fake LLM's faithful rewrite
    html_text = (workdir / "results" / "report" / "report.html").read_text(encoding="utf-8")
    assert f"In short: Of {len(rows)} contacts" in html_text and 'id="narrative-facts"' in html_text


FIT_STEPS = {"stage_fit", "sweep_neighbors", "sweep_batch_0", "sweep_batch_1", "sweep_summary", "reduce", "map_layout",
             "cluster", "topics", "label", "outliers"}


@pytest.mark.reliability("determinism", "rerun after new contacts: earlier people keep category and map point")
def test_new_contacts_are_placed_onto_the_fitted_map_and_a_refit_is_one_setting_away(finished_run, tmp_path):
    import shutil

    from workflow_run import UNTRUSTED_TITLES, example_slice, run_workflow, steps_run

    workdir, *_ = finished_run
    before = pd.read_csv(workdir / "results" / "assignments.csv")
    fitted = json.loads((workdir / "results" / "fit" / "current.json").read_text())
    rerun = tmp_path / "rerun"
    shutil.copytree(workdir, rerun, symlinks=True)  # keeps mtimes and Snakemake's metadata
    new_positions = ["Underwater Basket Weaving Instructor", "Chief Volcano Officer"]
    export, _ = example_slice(rerun / "Connections.csv", 150, UNTRUSTED_TITLES + new_positions)
    # The first run's settings (cache included), only the export differs.
    config = {**json.loads((workdir / "test-config.yaml").read_text()), "input": str(export)}
    result = run_workflow(rerun, config)
    assert result.returncode == 0, result.stderr[-4000:]
    ran = set(steps_run(result.stderr))
    assert {"titles", "embed", "choose_fit", "place", "assign", "report"} <= ran and not ran & FIT_STEPS, ran
    choice = json.loads((rerun / "results" / "fit" / "current.json").read_text())
    assert (choice["fit"], choice["refit"], choice["new_titles"], choice["gone_titles"]) == (fitted["fit"], False, 2, 0)

    after = pd.read_csv(rerun / "results" / "assignments.csv")
    assert len(after) == len(before) + 2
    kept = after.merge(before, on="id", suffixes=("", "_before"))
    assert len(kept) == len(before)
    for column in ("category", "topic", "x", "y"):
        pd.testing.assert_series_equal(kept[column], kept[f"{column}_before"], check_names=False)
    newcomers = after[after["position"].isin(new_positions)]
    assert set(newcomers["category"]) <= set(before["category"]) and newcomers[["x", "y"]].notna().all().all()
    report = (rerun / "results" / "report" / "report.html").read_text(encoding="utf-8")
    assert "new titles placed onto the fitted map" in report
    # How many of the new titles fit the map weakly, as the place step flagged them.
    weak = int(pd.read_parquet(rerun / "results" / "place" / "titles.parquet")["weak"].sum())
    placement = json.loads((rerun / "results" / "report" / "post" / "provenance.json").read_text())["placement"]
    assert (placement["new_titles"], placement["weak_titles"]) == (2, weak)
    assert 'id="placement"' in report
    expected = {0: "None of the 2 new titles fits the map weakly", 1: "1 of the 2 new titles", 2: "Both new titles"}
    assert expected[weak] in report

    refit = run_workflow(rerun, {**config, "update": {"refit_share": 0}})
    assert refit.returncode == 0, refit.stderr[-4000:]
    assert {"reduce", "cluster", "topics", "label"} <= set(steps_run(refit.stderr))
    choice = json.loads((rerun / "results" / "fit" / "current.json").read_text())
    assert choice["refit"] and choice["fit"] != fitted["fit"]
    refitted = pd.read_parquet(rerun / "results" / "fit" / choice["fit"] / "titles.parquet")
    assert len(refitted) == fitted["titles_now"] + 2
    assert not pd.read_parquet(rerun / "results" / "place" / "titles.parquet")["placed"].any()


def copy_of_run(finished_run, target):
    """The finished run's folder with mtimes and Snakemake's metadata, and its settings."""
    import shutil

    workdir, *_ = finished_run
    shutil.copytree(workdir, target, symlinks=True)
    return target, json.loads((workdir / "test-config.yaml").read_text())


@pytest.mark.reliability("files", "a deleted input of the fitted map is rebuilt by a rerun, same answer")
def test_deleting_a_fitted_map_input_rebuilds_it(finished_run, tmp_path):
    from workflow_run import run_workflow, steps_run

    rerun, config = copy_of_run(finished_run, tmp_path / "rerun")
    before = pd.read_parquet(rerun / "results" / "assignments.parquet")
    vectors = np.load(fit_folder(rerun) / "embeddings.npy")
    (fit_folder(rerun) / "embeddings.npy").unlink()
    result = run_workflow(rerun, config)
    assert result.returncode == 0, result.stderr[-4000:]
    np.testing.assert_array_equal(np.load(fit_folder(rerun) / "embeddings.npy"), vectors)
    ran = steps_run(result.stderr)
    assert ran[0] == "stage_fit" and {"reduce", "cluster", "label", "assign"} <= set(ran), ran
    assert not {"ingest", "titles", "enrich", "embed", "choose_fit"} & set(ran), ran
    pd.testing.assert_frame_equal(pd.read_parquet(rerun / "results" / "assignments.parquet"), before)


def test_every_file_a_step_reads_is_a_step_output_or_a_declared_source(finished_run, tmp_path):
    from workflow_run import ROOT, run_workflow

    rerun, config = copy_of_run(finished_run, tmp_path / "summary")
    result = run_workflow(rerun, config, "--detailed-summary")
    assert result.returncode == 0, result.stderr[-4000:]
    summary = pd.read_csv(io.StringIO(result.stdout), sep="\t")
    rules = set(summary["rule"])
    assert {"stage_fit", "choose_fit", "reduce", "label", "report"} <= rules
    outputs = set(summary["output_file"])
    read = {path for paths in summary["input-file(s)"].dropna() for path in paths.split(",") if path not in ("", "-")}
    # Benchmark files are written by Snakemake for the step named in the file; the report reads them.
    benchmarks = {path for path in read if re.fullmatch(r"results/(fit/[0-9a-f]{12}/)?benchmarks/\w+\.tsv", path)}
    assert {Path(path).stem for path in benchmarks} <= rules | {f"sweep_batch_{b}" for b in range(8)}
    sources = read - outputs - benchmarks
    assert sources == {config["input"], str(ROOT / "report" / "template.qmd")}


def test_delete_all_output_keeps_the_maps_of_earlier_exports(finished_run, tmp_path):
    import shutil

    from workflow_run import run_workflow

    rerun, config = copy_of_run(finished_run, tmp_path / "clean")
    current = fit_folder(rerun)
    kept = current.parent / "0123456789ab"  # a map fitted on an earlier export
    shutil.copytree(current, kept)
    kept_files = sorted(path.relative_to(kept) for path in kept.rglob("*"))
    result = run_workflow(rerun, config, "--delete-all-output")
    assert result.returncode == 0, result.stderr[-4000:]
    assert not (rerun / "results" / "assignments.csv").exists() and not (current / "embeddings.npy").exists()
    assert sorted(path.relative_to(kept) for path in kept.rglob("*")) == kept_files


@pytest.mark.reliability("faults", "llm.dry_run: the label and narrative steps stop before sending, like enrich")
def test_a_dry_run_sends_nothing_from_any_step(finished_run, tmp_path):
    """enrich is up to date (or asks nothing), so it never stops the run: the later LLM steps must stop themselves."""
    import shutil

    from workflow_run import run_workflow

    workdir, _, server, *_ = finished_run
    config = json.loads((workdir / "test-config.yaml").read_text())
    config["llm"]["dry_run"] = True
    sent = len(server.requests)
    # label reruns because label.mode changed; nothing changed for the narrative, so it is forced to rerun.
    for step, change, extra in (("label", {"label": {"mode": "llm"}}, ()), ("narrative", {}, ("-R", "narrative"))):
        copy = tmp_path / step
        shutil.copytree(workdir, copy, symlinks=True)
        result = run_workflow(copy, {**config, **change}, *extra)
        assert result.returncode != 0
        assert f"dry run (llm.dry_run: true): the {step} step would" in result.stderr, result.stderr[-3000:]
        assert len(server.requests) == sent
    # With every description cached, a forced enrich goes on in a dry run, from the cache alone.
    copy = tmp_path / "enrich"
    shutil.copytree(workdir, copy, symlinks=True)
    descriptions = copy / "results" / "enrich" / "descriptions.parquet"
    before = pd.read_parquet(descriptions)
    result = run_workflow(copy, config, "-R", "enrich", "--until", "enrich")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(server.requests) == sent
    pd.testing.assert_frame_equal(pd.read_parquet(descriptions), before)


def test_steps_that_embed_or_ask_the_embedded_llm_ask_slurm_for_a_gpu(finished_run, tmp_path):
    """embed.device / llm.local.device: cuda tag every step that uses the model with resources gpu=1 (on SLURM,
    --gpus=1); the label step embeds its candidate names, the narrative asks the embedded LLM; O*NET's vectors
    ask for none when they are shipped for the model."""
    import shutil

    from workflow_run import run_workflow

    workdir, *_ = finished_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy, symlinks=True)
    config = json.loads((workdir / "test-config.yaml").read_text())
    config["embed"] = {"device": "cuda"}
    config["llm"] = {**config["llm"], "base_url": "", "local": {"device": "cuda"}}
    # mtime only: changing the devices would otherwise replan the steps before the choose_fit checkpoint, behind
    # which a dry run cannot see label.
    plan = run_workflow(copy, config, "-n", "--rerun-triggers", "mtime", "-R", "label", "narrative",
                        "occupation_vectors")
    assert plan.returncode == 0, plan.stderr[-3000:]
    gpu = {}
    for block in re.split(r"\n(?=(?:local)?(?:rule|checkpoint) )", plan.stdout + plan.stderr):
        step = re.match(r"(?:local)?(?:rule|checkpoint) (\w+):", block)
        if step:
            gpu[step.group(1)] = bool(re.search(r"resources:.*\bgpu=1\b", block))
    assert gpu.get("label") and gpu.get("narrative"), gpu
    assert not gpu.get("assign", True) and not gpu.get("outliers", True), gpu
    # The package ships O*NET's vectors for the default model: that job has nothing to embed.
    assert gpu.get("occupation_vectors") is False, gpu


def test_the_sensitivity_table_compares_each_run_with_the_map_as_shipped(finished_run):
    """Each run is grouped into categories as the map was (label and outliers steps replayed): the chosen run is
    the map itself, so nobody changes category, and its Uncategorized share is the map's, not HDBSCAN's noise."""
    workdir, *_ = finished_run
    page = (workdir / "results" / "report" / "report.html").read_text(encoding="utf-8")
    rows = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)]
    chosen = next(row for row in rows if row and row[0].endswith("(chosen)"))
    assert chosen[-1] == "0%", chosen
    assignments = pd.read_csv(workdir / "results" / "assignments.csv")
    titled = assignments[assignments["category"] != "No job title"].drop_duplicates("title")
    assert chosen[-2] == f"{(titled['category'] == 'Uncategorized').mean():.0%}", chosen
    pick = re.search(r"used for the map: UMAP k=\d+ d=[\d.]+ dim=\d+, seed \d+; HDBSCAN mcs=\d+", page)
    assert pick, "the sensitivity section names the map's settings once each (it said \"UMAP UMAP k=15\")"
