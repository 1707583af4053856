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
        for source in (ROOT / folder).rglob("*.py"):
            parts = source.parent.relative_to(ROOT / folder).parts
            folders[".".join([package, *parts])] = source.parent
    assert sorted(config["packages"]) == sorted(folders)


def test_every_package_folder_has_an_init() -> None:
    """A folder of modules without __init__.py is a namespace package: the editable
    install imports it, the package list above would miss it had it looked for inits."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    bare = sorted(str(source.parent.relative_to(ROOT))
                  for folder in config["package-dir"].values()
                  for source in (ROOT / folder).rglob("*.py")
                  if not (source.parent / "__init__.py").exists())
    assert bare == []
