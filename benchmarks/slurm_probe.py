"""Benchmarks time the workflow, not the SLURM executor plugin's start-up probe.

The plugin runs `scontrol show config` whenever Snakemake loads its plugins. With the SLURM client
installed but no controller reachable (the CI machine, after the SLURM test installed it) that waits
~9 s on every Snakemake start; on a laptop without SLURM, or on a cluster, it returns at once.
"""

from __future__ import annotations

import os
from pathlib import Path


def without_slurm_probe(folder: Path) -> dict:
    """An environment in which `scontrol` fails at once, as on a machine without SLURM."""
    shim = folder / "no-slurm"
    shim.mkdir(exist_ok=True)
    (shim / "scontrol").write_text("#!/bin/sh\nexit 1\n")
    (shim / "scontrol").chmod(0o755)
    return {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}"}
