"""The package's shape: one top-level import name, one name per module, and imports that only point down."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own layer and the layers below it, never one above.
LAYERS: list[tuple[str, ...]] = [
    ("wxwatch.secrets", "wxwatch.cron", "wxwatch.config", "wxwatch.timefmt"),
    ("wxwatch.text",),
    ("wxwatch.metrics",),
    ("wxwatch.events",),
    ("wxwatch.storage",),
    ("wxwatch.notify",),
    ("wxwatch.crawler",),
    ("wxwatch.analysis", "wxwatch.crawljob", "wxwatch.curation", "wxwatch.backfill"),
    ("wxwatch.scheduler",),
    ("wxwatch.canned", "wxwatch.charts", "wxwatch.report", "wxwatch.atomfeed", "wxwatch.browsing",
     "wxwatch.datasette_charts"),
    ("wxwatch.sample",),
    ("wxwatch.cli", "wxwatch.commands", "wxwatch.output", "wxwatch.logs", "wxwatch.__main__", "wxwatch"),
]


def package_dirs() -> dict[str, Path]:
    """Import name -> source folder, as pyproject's package-dir maps them."""
    mapping = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    return {name: REPO / folder for name, folder in mapping.items()}


def source_modules() -> dict[str, Path]:
    """Every module of the installed package by its one import name."""
    modules: dict[str, Path] = {}
    dirs = package_dirs()
    for package, folder in dirs.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            owner = max((p for p in dirs if name == p or name.startswith(p + ".")), key=len)
            if owner == package:
                modules[name] = path
    return modules


def layer_of(module: str) -> int:
    best = max(((i, prefix) for i, layer in enumerate(LAYERS) for prefix in layer
                if module == prefix or module.startswith(prefix + ".")), key=lambda pair: len(pair[1]))
    return best[0]


def wxwatch_imports(path: Path, module: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("wxwatch")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wxwatch"):
            found.add(node.module)
    return found


def test_every_import_points_down_or_sideways() -> None:
    upward = []
    for module, path in source_modules().items():
        for target in wxwatch_imports(path, module):
            if target != "wxwatch" and layer_of(target) > layer_of(module):
                upward.append(f"{module} imports {target}")
    assert upward == []


def test_every_module_is_on_a_layer() -> None:
    modules = source_modules()
    assert len(modules) > 50
    for module in modules:
        assert layer_of(module) >= 0


@pytest.mark.slow
def test_the_installed_package_has_one_top_level_name_and_one_name_per_module(installed_copy: Path) -> None:
    """A real (non-editable) install of the repository exposes only `wxwatch`, each file once."""
    top_level = sorted(p.name for p in installed_copy.iterdir()
                       if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py")
    assert top_level == ["wxwatch"]
    installed = {p.relative_to(installed_copy).as_posix() for p in installed_copy.joinpath("wxwatch").rglob("*.py")}
    expected = {"/".join(name.split(".")) + ("/__init__.py" if path.name == "__init__.py" else ".py")
                for name, path in source_modules().items()}
    assert installed == expected


@pytest.mark.slow
def test_the_package_type_checks(installed_copy: Path) -> None:
    """mypy over the installed copy, with the repository's [tool.mypy] settings (see pyproject.toml)."""
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
                             "--cache-dir", str(installed_copy.parent / "mypy-cache"), "-p", "wxwatch"],
                            capture_output=True, text=True, cwd=installed_copy, timeout=280)
    assert result.returncode == 0, result.stdout[-5000:]


def test_the_repository_folders_are_not_importable_by_their_own_names(tmp_path: Path) -> None:
    """`crawler`, `storage`, ... exist only as wxwatch.crawler, wxwatch.storage, ... (never twice in one process)."""
    code = ("import importlib.util, sys; import wxwatch.crawler, wxwatch.storage, wxwatch.cli;"
            "print([n for n in ('crawler','storage','metrics','events','notify','scheduler','text')"
            " if importlib.util.find_spec(n)])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
