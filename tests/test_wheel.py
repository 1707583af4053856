"""numaspec as a user installs it: the wheel built from this checkout, installed without
extras in a fresh virtual environment, used from a directory outside the checkout.

Marked `install` (not in the default selection: building and installing take a minute or
two); .ci/run runs these.  The editable install of the checkout finds modules that a wheel
may leave out, so only this shows that the package list, the package data and the entry
points are complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest
from harness import ROOT
from pytest_user import check_pytest_like_hypothesis

pytestmark = pytest.mark.install

BUDGET_MB = 180  # the bound: 90 MB under the 270 MB of an install with matplotlib


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding the wheel (no extras); its site-packages'
    size, in MB, is written next to it (`size_mb`) before anything else is installed."""
    root = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root / "dist"),
          str(ROOT)], cwd=root)
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    wheel = next((root / "dist").glob("numaspec-*.whl"))
    _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], cwd=root)
    (root / "size_mb").write_text(f"{_size_mb(_site_packages(bin_dir)):.1f}")
    return bin_dir


def _site_packages(bin_dir: Path) -> Path:
    return next((bin_dir.parent / "lib").glob("python3*/site-packages"))


def _run(command: list[str], cwd: Path, timeout: float = 600,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def test_the_commands_work_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    checked = _run([str(installed / "numaspec"), "check", "pernode"], cwd=tmp_path)
    assert "distinct states: 2,102" in checked.stdout, checked.stdout
    assert "usage: numaspec" in _run([str(installed / "python"), "-m", "numaspec", "--help"],
                                     cwd=tmp_path).stdout
    assert _run([str(installed / "numaspec"), "-V"], cwd=tmp_path).stdout.startswith("numaspec")
    assert "pernode" in _run([str(installed / "numaspec"), "examples"], cwd=tmp_path).stdout
    _run([str(installed / "numaspec"), "fuzz", "pernode", "--impl",
          "numaspec.examples.pager_impl:correct", "--examples", "20"], cwd=tmp_path)


def test_evaluate_without_the_extra_names_it(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run([str(installed / "numaspec"), "evaluate"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "numaspec[evaluate]" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_install_is_small(installed: Path) -> None:
    assert not (_site_packages(installed) / "matplotlib").exists()
    size = float((installed.parent.parent / "size_mb").read_text())
    assert size < BUDGET_MB, f"site-packages is {size:.0f} MB"


def test_pytest_like_hypothesis_after_the_install(installed: Path, tmp_path: Path) -> None:
    _run([str(installed / "pip"), "install", "-q", "pytest"], cwd=tmp_path)
    check_pytest_like_hypothesis(str(installed / "python"), tmp_path)
    assert shutil.which("numaspec", path=str(installed))


def test_the_sdist_holds_every_tracked_file_and_the_build_warns_about_nothing(
        tmp_path: Path) -> None:
    """So that its tests run from the unpacked archive (MANIFEST.in names kinds of file: a
    new kind, such as the per-node logs' .jsonl, would otherwise be left out).  `python -m
    build` (the sdist, then the wheel from it) prints no warning: a MANIFEST.in pattern that
    matches nothing is one.  PYTHONDONTWRITEBYTECODE is left out of its environment, because
    under it setuptools warns that byte-compiling is disabled, whatever the package."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout (an unpacked sdist, say): nothing to compare with")
    tracked = listed.stdout.split()
    source = tmp_path / "source"  # only the tracked files: an old egg-info's SOURCES.txt
    for name in tracked:          # in the checkout would add what MANIFEST.in leaves out
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    built = _run([sys.executable, "-m", "build", "-o", str(tmp_path), str(source)],
                 cwd=tmp_path, env=environment)
    output = (built.stdout + built.stderr).splitlines()
    assert [line for line in output if "warning" in line.lower()] == []
    with tarfile.open(next(tmp_path.glob("numaspec-*.tar.gz"))) as sdist:
        held = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert sorted(set(tracked) - held) == []
