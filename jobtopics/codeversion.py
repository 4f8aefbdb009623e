"""Which library code a step runs, and a version of it.

Snakemake reruns a step when its script changes, not when a `jobtopics` module the script imports
changes. Each rule therefore carries a `code_version` param: a hash of the `jobtopics` modules its
script reaches (transitively, by reading the import statements), so that a library edit reruns
exactly the steps that run the edited code, and what follows them. The same walk tells the env
check (tests/test_envs.py) which third-party packages a step needs.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

LIBRARY = "jobtopics"


@dataclass
class Imports:
    """What a script reaches: the library's module files (parent packages included) and third-party modules."""

    library_files: set[Path] = field(default_factory=set)
    third_party: set[str] = field(default_factory=set)


def module_file(name: str, root: Path) -> Path | None:
    """The file of a dotted module name under root (a module or a package's __init__), if it is one."""
    parts = name.split(".")
    for candidate in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path, root: Path) -> list[str]:
    """Dotted names a file imports; `from a import b` gives both a and a.b (b may be a module or a name)."""
    inside = path.resolve().is_relative_to(root.resolve())
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1]) if inside else ""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the importing file's package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def reached_imports(path: Path, root: Path) -> Imports:
    """Everything a file imports, following `jobtopics` modules (under root) transitively."""
    found, pending, seen = Imports(), [Path(path)], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in _imported_names(current, root):
            top = name.split(".")[0]
            if top != LIBRARY:
                if top not in sys.stdlib_module_names and top != "__future__":
                    found.third_party.add(top)
                continue
            parts = name.split(".")
            # Importing a.b.c runs a/__init__.py and a/b/__init__.py too.
            for depth in range(1, len(parts) + 1):
                target = module_file(".".join(parts[:depth]), root)
                if target and target not in found.library_files:
                    found.library_files.add(target)
                    pending.append(target)
    return found


def code_version(script: Path, root: Path) -> str:
    """A short hash of the contents of the `jobtopics` modules the script reaches (not of the script:
    Snakemake already tracks that)."""
    digest = hashlib.sha256()
    for module in sorted(reached_imports(script, root).library_files):
        digest.update(module.relative_to(root).as_posix().encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
