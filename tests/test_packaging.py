"""pyproject.toml ships every package: a folder added under a package but not listed would
be missing from a non-editable install (wheel), though an editable one still finds it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {}
    for package, folder in config["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            folders[".".join([package, *parts])] = init.parent
    assert sorted(config["packages"]) == sorted(folders)
