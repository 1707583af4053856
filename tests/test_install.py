"""Packaging and the command's manners: `-V`, help on a bare `numaspec`, defaults and exit
statuses in every `--help`, `python -m numaspec`, the bundled specs by name, a spec on
standard input, the metadata (SPDX license, LICENSE, py.typed, extras, lark bounded), and
`evaluate` without matplotlib (tests/test_packaging.py: every package listed).  The
installation from the wheel, outside the checkout, is tests/test_wheel.py (marked `install`,
run by .ci/run, since it takes minutes); the sdist's test run is by hand (docs/cli.md,
"Installing")."""

import argparse
import importlib.util
import subprocess
import sys
import tomllib

import pytest
from harness import ROOT, run_cli

import numaspec.examples
from numaspec.cli.main import build_parser
from numaspec.spec.diagnostics import SpecError

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_version_and_a_bare_command() -> None:
    version = run_cli(["-V"])
    assert version.out.startswith("numaspec 0.") and version.status == 0
    bare = run_cli([])
    assert bare.status == 0 and "COMMAND" in bare.out and "exit status:" in bare.out


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_help_shows_the_defaults_and_the_exit_statuses(name: str) -> None:
    command = _commands()[name]
    text = " ".join(command.format_help().split())
    assert "exit status: 0 ok" in text and "3 stopped at a resource limit" in text
    for action in command._actions:
        if action.option_strings and action.default not in (None, False, True, [], "",
                                                             argparse.SUPPRESS):
            shown = command._get_formatter()._get_help_string(action) or ""
            value = action.default
            forms = {str(value), f"{value:g}" if isinstance(value, float) else str(value)}
            assert "default" in shown or any(f"({f}" in shown for f in forms), (name,
                                                                                 action.dest)


def test_python_dash_m_numaspec() -> None:
    run = subprocess.run([sys.executable, "-m", "numaspec", "--help"], capture_output=True,
                         text=True, timeout=60, cwd=ROOT / "tests")
    assert run.returncode == 0 and "usage: numaspec" in run.stdout


def test_bundled_specs_by_name() -> None:
    assert "pernode" in numaspec.examples.names()
    assert "spec pernode" in numaspec.examples.path("pernode").read_text()
    assert numaspec.examples.path("pernode.numa") == numaspec.examples.path("pernode")
    with pytest.raises(SpecError) as err:
        numaspec.examples.path("nosuch")
    assert err.value.diagnostics[0].code == "E051"
    listed = run_cli(["examples"])
    assert listed.status == 0 and "pernode" in listed.out
    parsed = run_cli(["parse", "pernode"])
    assert parsed.status == 0, parsed.err
    assert run_cli(["parse", "nosuch"]).status == 2
    traced = run_cli(["trace", "pernode", str(ROOT / "tests/traces/data/quint_style.itf.json")])
    assert traced.status == 0, traced.err  # commands that read SPEC by themselves too


def test_a_spec_on_standard_input() -> None:
    text = (ROOT / "tests/corpus/smt/lint_target.numa").read_text()
    run = subprocess.run([sys.executable, "-m", "numaspec", "parse", "-"], input=text,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "spec lint_target" in run.stdout, run.stderr
    bad = subprocess.run([sys.executable, "-m", "numaspec", "parse", "-"], input="spec x\nvar",
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "<stdin>:" in bad.stderr and "Traceback" not in bad.stderr


def test_metadata() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT")
    assert (ROOT / "api" / "py.typed").exists()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["numaspec"]
    assert not any(d.startswith("matplotlib") for d in project["dependencies"])
    extras = project["optional-dependencies"]
    assert any(d.startswith("matplotlib") for d in extras["evaluate"])
    assert any(d.startswith("matplotlib") for d in extras["test"])
    assert any(d.replace(" ", "").startswith("lark>=1.2,<2") for d in project["dependencies"])
    assert project["entry-points"]["pytest11"]["numaspec"] == "numaspec.pytest_plugin"


def test_evaluate_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "matplotlib" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    run = run_cli(["evaluate", "--out", str(ROOT / "nonexistent-never-written")])
    assert run.status == 2 and "E050" in run.err and "numaspec[evaluate]" in run.err
