"""`numaspec lint` as a CI gate: one warning per place with its call sites,
the standard library quiet unless --include-lib, suppression by --ignore and by
`// lint: ignore CODE` comments, exit 0 on the bundled specs, exit 1 on a dead action."""

from pathlib import Path

import pytest
from harness import ROOT, run_cli

P1 = str(ROOT / "spec/examples/pernode.numa")
TARGET = str(ROOT / "tests/corpus/smt/lint_target.numa")

# A proc with a branch never taken, called from two actions; a dead action.
CALLS = """spec calls
topology {{ nodes 2 frames_per_node 1 }}
var x : 0 .. 3
proc bump() {{
  if x > 5 {{ x := 0 }}
}}
action a() {{
  bump(){first}
}}
action b() {{
  bump(){second}
}}
{dead}action never() {{ require x > 3; x := 0 }}
invariant small: x <= 2
"""


def _spec(tmp_path: Path, first: str = "", second: str = "", dead: str = "") -> str:
    path = tmp_path / "calls.numa"
    path.write_text(CALLS.format(first=first, second=second, dead=dead))
    return str(path)


def test_p1_passes_and_its_library_warnings_come_once_per_place() -> None:
    quiet = run_cli(["lint", P1, "-D", "NODES=2"])
    assert quiet.status == 0, quiet.err
    # P1's one-node branch (`if NODES == 1`) is suppressed by its `// lint: ignore W614`
    assert "0 warning(s), 10 in the standard library not shown (--include-lib), " \
        "1 suppressed" in quiet.out
    loud = run_cli(["lint", P1, "-D", "NODES=2", "--include-lib"])
    assert loud.status == 1
    headers = [line for line in loud.err.splitlines() if "warning[" in line]
    # one per place (before: one place 12 times): the kernel with authority, shootdowns and
    # status (spec/lib/l4.numa) has 10 places P1 never exercises
    assert len(headers) == 10 == len(set(headers))
    warnings = loud.err.split("warning[")[1:]
    assert any("at this call, in action start_unmap" in w and
               "at this call, in action recv_req" in w for w in warnings)


def test_a_dead_action_still_fails(tmp_path: Path) -> None:
    run = run_cli(["lint", TARGET])
    assert run.status == 1 and "W610" in run.err
    assert "4 warning(s)" in run.out


def test_ignore_on_the_command_line() -> None:
    run = run_cli(["lint", TARGET, "--ignore", "W610,W611", "--ignore", "w613 W614"])
    assert run.status == 0 and "0 warning(s), 4 suppressed" in run.out
    bad = run_cli(["lint", TARGET, "--ignore", "W999"])
    assert bad.status == 2 and "E004" in bad.err and "W999" in bad.err


def test_comment_on_the_line_above_suppresses_its_code_only(tmp_path: Path) -> None:
    spec = _spec(tmp_path, dead="// lint: ignore W610\n")
    run = run_cli(["lint", spec, "--ignore", "W614"])
    assert run.status == 0 and "2 suppressed" in run.out
    other = _spec(tmp_path, dead="// lint: ignore W611\n")
    assert run_cli(["lint", other, "--ignore", "W614"]).status == 1


def test_warning_in_a_proc_lists_its_call_sites_and_each_can_be_suppressed(
        tmp_path: Path) -> None:
    both = run_cli(["lint", _spec(tmp_path), "--ignore", "W610"])
    assert both.status == 1
    assert both.err.count("warning[W614]") == 1
    assert "calls.numa:8:3: at this call, in action a" in both.err
    assert "calls.numa:11:3: at this call, in action b" in both.err
    one = run_cli(["lint", _spec(tmp_path, first="  // lint: ignore W614"), "--ignore", "W610"])
    assert one.status == 1 and "in action a" not in one.err and "in action b" in one.err
    none = run_cli(["lint", _spec(tmp_path, first=" // lint: ignore W614",
                                  second=" // lint: ignore W614"), "--ignore", "W610"])
    assert none.status == 0 and "2 suppressed" in none.out  # W614 and W610


@pytest.mark.slow  # ~15 s together; P1 is linted by the first test
@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "spec/examples").glob("*.numa")
                                        if p.name != "pernode.numa"))
def test_every_other_bundled_spec_passes(name: str) -> None:
    run = run_cli(["lint", str(ROOT / "spec/examples" / name), "-D", "NODES=2"])
    assert run.status == 0, run.err
