"""A false `symmetric Node` is refused by both engines (and by the command)."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import run_cli
from vector_helpers import P1, ROOT, run

from numaspec.spec.diagnostics import SpecError
from numaspec.spec.pipeline import compile_spec

ASYMMETRIC = {
    # node 2 never faults: enabledness depends on the node number
    "guard": ("  require not maps(n, v)\n", "  require not maps(n, v) and int(n) < 2\n"),
    # node 2 gets no unmap request: only the successors differ
    "send": ("  for m: Node where m != n {\n", "  for m: Node where m != n and int(m) < 2 {\n"),
}


@pytest.mark.parametrize("variant", list(ASYMMETRIC))
def test_false_symmetry_is_refused_by_both_engines(variant: str, tmp_path: Path) -> None:
    old, new = ASYMMETRIC[variant]
    text = (ROOT / P1).read_text()
    assert text.count(old) == 1
    path = tmp_path / "asymmetric.numa"
    path.write_text(text.replace(old, new))
    spec = compile_spec(str(path), ["NODES=3", "PAGES=1"]).spec
    for vectorise in (True, False):
        with pytest.raises(SpecError) as refused:
            run(spec, vectorise)
        assert refused.value.diagnostics[0].code == "E405", f"vectorise={vectorise}"
    assert run(spec, True, symmetry=False).stats.evaluation == "vectorised"
    for flags in ([], ["--no-vectorise"]):
        cli = run_cli(["check", str(path), "-D", "NODES=3", "-D", "PAGES=1", *flags])
        assert cli.status == 2
        assert "error[E405]" in cli.err
