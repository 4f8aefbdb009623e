"""How `make install` builds the venv: uv by default with pip behind it, pip alone on request, torch always by pip;
and the first-run benchmark's reading of its target."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from first_run import TARGET_SECONDS, table  # noqa: E402


def install_recipe(tmp_path: Path, *variables: str) -> list[str]:
    """The commands `make install` would run into an empty venv folder (dry run: nothing is installed)."""
    done = subprocess.run(["make", "-n", "-C", str(ROOT), "install", f"VENV={tmp_path / 'venv'}", *variables],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if "install" in line]


def test_torch_goes_through_pip_so_pips_settings_choose_its_build(tmp_path):
    for installer in ("uv", "pip"):
        torch_lines = [line for line in install_recipe(tmp_path, f"INSTALLER={installer}") if "torch==" in line]
        assert len(torch_lines) == 1 and "-m pip install" in torch_lines[0] and "uv pip" not in torch_lines[0]


def test_uv_installs_the_rest_and_pip_takes_over_when_uv_fails(tmp_path):
    requirements = [line for line in install_recipe(tmp_path) if "-r requirements.txt" in line]
    assert len(requirements) == 1
    uv_part, pip_part = requirements[0].split("||")
    assert "uv pip install" in uv_part and "--compile-bytecode" in uv_part
    assert "-m pip install" in pip_part and "-r requirements.txt" in pip_part


def uv_words(lines: list[str]) -> list[str]:
    return [word for line in lines for word in line.split() if word.endswith("/uv") or word.startswith("uv==")]


def test_installer_pip_never_calls_uv(tmp_path):
    assert uv_words(install_recipe(tmp_path))  # the default does, so the check below can fail
    assert not uv_words(install_recipe(tmp_path, "INSTALLER=pip"))


def test_an_unknown_installer_is_refused_in_one_line(tmp_path):
    done = subprocess.run(["make", "-n", "-C", str(ROOT), "install", f"VENV={tmp_path / 'venv'}", "INSTALLER=conda"],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "INSTALLER must be uv or pip, not 'conda'" in done.stderr


@pytest.mark.parametrize(("total", "verdict"), [(TARGET_SECONDS - 1, "met"), (TARGET_SECONDS + 1, "not met")])
def test_first_run_table_reads_the_target_from_the_measured_total(total, verdict):
    row = {"installer": "uv", "install": 60.0, "run": total - 60.0, "total": float(total), "venv_mb": 2500.0}
    line = next(line for line in table([row], "abc1234").splitlines() if line.startswith("| uv |"))
    assert line.endswith(f"| {TARGET_SECONDS} ({verdict}) | 2500 |")
