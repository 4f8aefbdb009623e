from pathlib import Path

import pytest
import yaml

from jobtopics.settings import config_problem

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "config" / "schema.yaml"


def default_config():
    return yaml.safe_load((ROOT / "config" / "config.yaml").read_text())


def test_shipped_config_is_valid():
    assert config_problem(default_config(), SCHEMA) is None


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("cluster", "min_cluster_size", 1, "config key cluster.min_cluster_size: 1 is less than the minimum of 2"),
        ("reduce", "n_neighbors", "many", "config key reduce.n_neighbors: 'many' is not of type 'integer'"),
        ("embed", "device", "tpu", "config key embed.device: 'tpu' is not one of ['cpu', 'cuda']"),
        ("label", "n_categories", 500, "config key label.n_categories: 500 is greater than the maximum of 60"),
        ("cluster", "min_cluster_sise", 5, "unknown config key cluster.min_cluster_sise"),
    ],
)
def test_bad_values_name_the_key(section, key, value, message):
    config = default_config()
    config[section][key] = value
    assert config_problem(config, SCHEMA).startswith(message)


def test_missing_input():
    config = default_config()
    del config["input"]
    assert "'input' is a required property" in config_problem(config, SCHEMA)


def test_nested_command_line_strings_are_coerced():
    from jobtopics.settings import coerce_cli_values, load_schema

    config = default_config()
    config["cluster"] = {"min_cluster_size": "8", "min_samples": "null"}
    config["llm"]["dry_run"] = "true"
    config["report"]["title"] = "42"
    coerce_cli_values(config, load_schema(SCHEMA))
    assert config["cluster"] == {"min_cluster_size": 8, "min_samples": None}
    assert config["llm"]["dry_run"] is True and config["report"]["title"] == "42"
    assert config_problem(config, SCHEMA) is None



def test_command_line_lists_are_coerced_item_by_item():
    """`--config 'sweep={grid: {n_neighbors: [10, 20]}}'`: Snakemake hands the list's items over as strings."""
    from snakemake.cli import parse_config

    from jobtopics.settings import check_config

    overrides = parse_config(["sweep={grid: {n_neighbors: [10, 20], seed: [7]}}"])
    assert overrides["sweep"]["grid"]["n_neighbors"] == ["10", "20"]  # what the workflow receives
    config = default_config()
    config["sweep"]["grid"].update(overrides["sweep"]["grid"])
    check_config(config, SCHEMA)
    assert config["sweep"]["grid"]["n_neighbors"] == [10, 20] and config["sweep"]["grid"]["seed"] == [7]


def test_whole_number_floats_become_integers_where_the_schema_wants_integers():
    from jobtopics.settings import check_config

    config = default_config()
    config["cluster"]["min_cluster_size"] = 5.0  # passes the schema's integer check, but hdbscan refuses a float
    config["sweep"]["jobs"] = 2.0
    config["sweep"]["grid"]["seed"] = [1.0, 2.0]
    check_config(config, SCHEMA)
    assert type(config["cluster"]["min_cluster_size"]) is int and type(config["sweep"]["jobs"]) is int
    assert [type(seed) for seed in config["sweep"]["grid"]["seed"]] == [int, int]
    config["cluster"]["min_cluster_size"] = 5.5
    assert config_problem(config, SCHEMA).startswith("config key cluster.min_cluster_size: 5.5 is not of type")
    config["outliers"]["min_similarity"] = 1.0  # a number key keeps its float
    config["cluster"]["min_cluster_size"] = 5
    check_config(config, SCHEMA)
    assert type(config["outliers"]["min_similarity"]) is float

def test_a_key_pasted_into_api_key_env_is_never_echoed():
    from jobtopics.errors import ConfigError
    from jobtopics.settings import check_config

    secret = "sk-proj-THISISASECRETVALUE1234567890"
    with pytest.raises(ConfigError) as stopped:
        check_config({"input": "x.csv", "llm": {"api_key_env": secret}}, SCHEMA)
    err = str(stopped.value)
    assert "llm.api_key_env" in err and secret not in err and "sk-proj" not in err


def test_snakemake_reports_a_bad_config_as_one_line_workflow_error(tmp_path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "snakemake", "-n", "-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path),
               "--cores", "1", "--configfile", str(ROOT / "config" / "config.yaml"),
               "--config", "reduce={n_neighbors: 1}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    printed = done.stdout + done.stderr
    assert done.returncode == 1
    assert "WorkflowError" in printed and "Traceback" not in printed, printed
    lines = [line for line in printed.splitlines() if line.startswith("jobtopics:")]
    assert lines == ["jobtopics: config key reduce.n_neighbors: 1 is less than the minimum of 2"], printed


def test_llm_settings_are_the_config_with_the_answer_keys_from_the_params():
    from types import SimpleNamespace

    from jobtopics.step import llm_settings

    section = {"model": "m", "timeout_s": 60, "max_requests": None, "local": {"n_ctx": 2048, "threads": 1}}
    job = SimpleNamespace(config={"llm": section},
                          params=SimpleNamespace(llm={"model": "m2", "max_requests": 5, "local/n_ctx": 4096}))
    assert llm_settings(job) == {"model": "m2", "timeout_s": 60, "max_requests": 5,
                                 "local": {"n_ctx": 4096, "threads": 1}}
    assert section["local"]["n_ctx"] == 2048, "the config is not modified"


def test_the_old_key_coverage_still_works_with_a_one_line_notice(capsys):
    from jobtopics.settings import check_config

    notice = "jobtopics: config key `coverage` is now `occupations`; `coverage` will stop working in the next release"
    # The user's own file, written before the rename: only the old name.
    config = default_config()
    del config["occupations"]
    config["coverage"] = {"activate": False}
    check_config(config, SCHEMA)
    assert "coverage" not in config and config["occupations"] == {"activate": False}
    assert capsys.readouterr().err.splitlines() == [notice]
    # The shipped config.yaml (new name, defaults) merged with an older file or --config: the old values win.
    config = default_config()
    config["coverage"] = {"thin_share": "0.05"}  # a --config string, coerced as under the new name
    check_config(config, SCHEMA)
    assert "coverage" not in config and config["occupations"] == {"activate": True, "thin_share": 0.05}
    assert capsys.readouterr().err.splitlines() == [notice]
    # The new name alone: no notice.
    check_config(default_config(), SCHEMA)
    assert capsys.readouterr().err == ""


def test_the_shipped_occupations_section_holds_the_schema_defaults():
    # A config with both names is an error unless `occupations` holds only these defaults (the shipped ones).
    from jobtopics.settings import load_schema

    rules = load_schema(SCHEMA)["properties"]["occupations"]["properties"]
    assert default_config()["occupations"] == {key: rule["default"] for key, rule in rules.items()}


def test_both_coverage_and_occupations_set_is_a_one_line_error(capsys):
    from jobtopics.errors import ConfigError
    from jobtopics.settings import check_config

    config = default_config()
    config["occupations"]["activate"] = False
    config["coverage"] = {"thin_share": 0.05}
    with pytest.raises(ConfigError) as stopped:
        check_config(config, SCHEMA)
    assert str(stopped.value) == ("config keys `coverage` and `occupations` are both set: `coverage` is the old name "
                                  "of `occupations`; keep only `occupations`")
    assert capsys.readouterr().err == ""
