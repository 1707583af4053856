"""Every ITF file numaspec writes (check, fuzz, simulate, trace --witness; plain, with Quint
names and with `--mbt`) is ADR-015 as revised on 2023-09-14 (tests/traces/adr015.py), reads
back with numaspec, and, where node and Quint are installed, with Quint's own decoder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from adr015 import expression, problems
from harness import P1, ROOT, run_cli

pytestmark = pytest.mark.usefixtures("at_root")
LEAKY = "tests/corpus/small/leaky_pager.numa"
LIVE = "tests/corpus/small/live_intermittent.numa"
STYLES = {"plain": [], "quint": ["--itf-names", "quint", "--mbt"]}


def quint_package() -> Path | None:
    """Quint's npm package directory: $QUINT_PACKAGE, the package of the `quint` on PATH, or
    npm's global one (how to install it for these tests: docs/traces.md, "Quint for the
    tests")."""
    candidates = [os.environ.get("QUINT_PACKAGE", "")]
    quint = shutil.which("quint")
    if quint:
        candidates.append(str(Path(quint).resolve().parent.parent))
    npm = shutil.which("npm")
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=30)
        if root.returncode == 0 and root.stdout.strip():
            candidates.append(str(Path(root.stdout.strip()) / "@informalsystems" / "quint"))
    return next((Path(c) for c in candidates if c and (Path(c) / "dist/src/itf.js").exists()),
                None)


def written(tmp_path: Path, style: list[str]) -> list[Path]:
    """One ITF file from each command that writes ITF."""
    files = {name: tmp_path / f"{name}.itf.json" for name in
             ("check", "lasso", "fuzz", "simulate", "witness")}
    runs = [
        (["check", LEAKY, "--trace-out", str(files["check"])], 1),
        (["check", LIVE, "--trace-out", str(files["lasso"])], 1),
        (["fuzz", LEAKY, "--examples", "50", "--trace-out", str(files["fuzz"])], 1),
        (["simulate", P1, "--steps", "30", "--trace-out", str(files["simulate"])], 0),
        (["trace", P1, str(files["simulate"]), "--witness", str(files["witness"])], 0),
    ]
    for argv, status in runs:
        run = run_cli([*argv, *style])
        assert run.status == status, (argv, run.err)
    return list(files.values())


@pytest.mark.parametrize("style", STYLES)
def test_every_itf_file_written_is_adr015(style: str, tmp_path: Path) -> None:
    files = written(tmp_path, STYLES[style])
    for path in files:
        document = json.loads(path.read_text())
        assert problems(document) == [], path.name
        if style == "quint":
            assert "l4::pt" in document["vars"] or path.name in {"check.itf.json",
                                                                 "lasso.itf.json",
                                                                 "fuzz.itf.json"}
            assert document["vars"][-2:] == ["mbt::actionTaken", "mbt::nondetPicks"]
            assert document["states"][0]["mbt::actionTaken"] == "init"
        spec = P1 if path.name in {"simulate.itf.json", "witness.itf.json"} else \
            LIVE if path.name == "lasso.itf.json" else LEAKY
        run = run_cli(["trace", spec, str(path)])
        assert run.status == 0, (path.name, run.out)
    assert json.loads(files[1].read_text())["loop"] is not None


def test_mbt_picks_name_every_parameter(tmp_path: Path) -> None:
    out = tmp_path / "w.itf.json"
    assert run_cli(["simulate", P1, "--steps", "5", "--mbt", "--trace-out", str(out)]).status == 0
    states = json.loads(out.read_text())["states"]
    step = states[1]
    picks = step["mbt::nondetPicks"]
    assert step["mbt::actionTaken"] == step["#meta"]["action"]
    given = {k: v for k, v in picks.items() if v["tag"] == "Some"}
    assert {k: v["value"] for k, v in given.items()} == step["#meta"]["args"]
    assert all(v == {"tag": "None", "value": {"#tup": []}} for k, v in picks.items()
               if k not in given)
    assert len({frozenset(s["mbt::nondetPicks"]) for s in states}) == 1  # one record type


def test_the_checker_refuses_what_adr015_forbids() -> None:
    assert expression(3) and expression(None) and expression({"#bigint": "1.0"})
    assert expression({"#map": [[1]]}) and expression({"#set": 1, "x": 2})
    assert not expression({"#map": [[{"#bigint": "-3"}, {"#set": []}]]})
    assert not expression({"tag": "Some", "value": {"a": True, "b": ["s"]}})
    good = {"#meta": {"varTypes": {"x": "Int"}}, "vars": ["x"],
            "states": [{"x": {"#bigint": "1"}}], "loop": 0}
    assert problems(good) == []
    assert problems({**good, "states": [{"x": 1}]})
    assert problems({**good, "states": [{"y": {"#bigint": "1"}}]})
    assert problems({**good, "#meta": {}})
    assert problems({**good, "loop": 1})


def test_old_plain_number_itf_still_reads(tmp_path: Path) -> None:
    """Reading is kind: JSON numbers (numaspec before ADR-015's revision) are accepted."""
    new = tmp_path / "new.itf.json"
    assert run_cli(["check", LEAKY, "--trace-out", str(new)]).status == 1
    text = new.read_text()
    old = tmp_path / "old.itf.json"
    import re
    old.write_text(re.sub(r'\{"#bigint": "(-?[0-9]+)"\}', r"\1", text))
    assert "#bigint" not in old.read_text().split('"states"')[1]
    assert run_cli(["trace", LEAKY, str(old)]).status == 0


def test_quint_decodes_every_itf_file(tmp_path: Path) -> None:
    package = quint_package()
    if package is None or shutil.which("node") is None:
        pytest.skip("needs node and Quint (docs/traces.md, \"Quint for the tests\")")
    files = written(tmp_path, STYLES["quint"])
    done = subprocess.run(["node", str(ROOT / "tests/traces/quint_decode.js"), str(package),
                           *map(str, files)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
