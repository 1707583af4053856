"""The command line under fuzzing: Hypothesis generates command lines (a subcommand, its
flags with good and bad values, good and bad files) and every one must end with an exit
status in {0, 1, 2, 3}, without a traceback, within a time bound.

Derandomised (the same 1,000 command lines on every run) so CI is reproducible.  Runs are
in-process (tests/harness.py's `run_cli`) to fit the fast suite; the specs are tiny and every
command gets small work limits first (`BUDGET`), which a generated flag may override with
another small or invalid value: what is under test is how the command treats its input, not
how fast an engine is.  `evaluate` is not generated: it runs the paper's experiments for
minutes whatever its arguments.
"""

from __future__ import annotations

import os
import re
import signal
import sys

import pytest
from harness import ROOT, run_cli
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# NUMASPEC_CLI_FUZZ_EXAMPLES=20000 runs longer (the derandomised lines are a prefix).
EXAMPLES = int(os.environ.get("NUMASPEC_CLI_FUZZ_EXAMPLES", "1000"))
SECONDS_PER_LINE = 20  # a command line that runs longer is a hang

# Distinct failure classes found by this test that other changes are fixing: (pattern
# searched in "<command line>\n<failure>", what it is).  A failure matching one is
# tolerated; empty the list once the fixes land.
KNOWN_FAILURES: list[tuple[str, str]] = []

TINY = """\
// A tiny spec for the command-line fuzz test: few states, every property holds.
spec tiny
topology { nodes 2 frames_per_node 1 }
type Count = 0 .. 2
var x : Count
channel ping[Node] : Count capacity 2
action inc(n: Node) on n { require x < 2; x += 1; send x to ping[n] }
action drain(n: Node) on n receive ping[n] as v { require v >= 0 }
action reset() { require x == 2; require forall n: Node: size(ping[n]) == 0; x := 0 }
invariant small: x <= 2
property back: x == 2 leads_to x == 0
fair reset
fair drain
workload calm { weight inc(n) = 1 + int(n) }
"""
BUGGY = TINY.replace("spec tiny", "spec buggy").replace("x <= 2\n", "x <= 1\n")
SYNTAX = "spec broken\nvar x : \naction a() { x := }\n"
INIT_FAILS = "spec init_fails\nvar x : bool\naction a() { x := not x }\ninit { assert x }\n"
TYPES = "spec typed\nvar x : bool\naction a() { x := 3 }\ninvariant i: x + 1\n"

# Work limits every command starts with (a generated flag may replace them).
BUDGET = {
    "check": ["--depth", "3", "--max-states", "500", "--timeout", "5"],
    "prove": ["--timeout", "5"],
    "lint": ["--timeout", "5"],
    "fuzz": ["--examples", "2", "--max-steps", "4", "--time-budget", "3"],
    "simulate": ["--steps", "30", "--timeout", "5"],
    "trace": ["--max-frontier", "2000"],
    "parse": [],
    "topology": [],
}

# Values: valid ones drawn half the time, then the hostile ones.
WORK = (["1", "2", "3"], ["0", "-1", "-7", "x", "", "2.5", "1e2", "0x10", " 3", "\u0663"])
INTS = (["0", "1", "7"], [*WORK[1], "99999999999999999999999", "-99999999999999999999999"])
FLOATS = (["0.5", "3", "1e-9"], ["0", "-1", "nan", "inf", "-inf", "x", "", "1e308", "0x1p-2"])


def _values(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(good), st.sampled_from(bad))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The inputs: specs, traces, topologies, good and bad (absolute paths)."""
    root = tmp_path_factory.mktemp("cli_fuzz")
    texts = {"tiny.numa": TINY, "buggy.numa": BUGGY, "syntax.numa": SYNTAX,
             "types.numa": TYPES, "init_fails.numa": INIT_FAILS, "empty.numa": "",
             "garbage.jsonl": "{not json\n\x00\n", "empty.jsonl": "",
             "topology.json": '{"distance": [[10, 20], [20, 10]]}',
             "bad_topology.json": '{"distance": [[10, 20]]}'}
    paths = {name: root / name for name in texts}
    for name, text in texts.items():
        paths[name].write_text(text)
    (root / "binary.numa").write_bytes(b"\xff\xfe\x00spec \x80\x81")
    walk = root / "walk.jsonl"
    assert run_cli(["simulate", str(paths["tiny.numa"]), "--steps", "12",
                    "--trace-out", str(walk)]).status == 0
    itf = root / "cex.itf.json"
    assert run_cli(["check", str(paths["buggy.numa"]), "--trace-out", str(itf)]).status == 1
    lines = walk.read_text().splitlines()
    (root / "truncated.jsonl").write_text("\n".join(lines[:3]) + "\n" + lines[3][:20])
    found = {name: str(path) for name, path in paths.items()}
    found.update({"binary.numa": str(root / "binary.numa"), "walk.jsonl": str(walk),
                  "cex.itf.json": str(itf), "truncated.jsonl": str(root / "truncated.jsonl"),
                  "dir": str(root), "missing": str(root / "missing.numa"),
                  "out": str(root / "out"), "deep": str(root / "no" / "such" / "dir")})
    return found


def _specs(f: dict[str, str]) -> st.SearchStrategy[str]:
    good = st.sampled_from([f["tiny.numa"], f["buggy.numa"]])
    bad = st.sampled_from([f["syntax.numa"], f["types.numa"], f["init_fails.numa"],
                           f["empty.numa"],
                           f["binary.numa"], f["missing"], f["dir"], f["walk.jsonl"], ""])
    return st.one_of(good, good, good, bad)


def _outputs(f: dict[str, str]) -> st.SearchStrategy[str]:
    out, deep = f["out"], f["deep"]
    return _values([f"{out}.jsonl", f"{out}.itf.json"],
                   [f"{out}.txt", f"{out}.json", f["dir"], f"{deep}/x.jsonl", "",
                    f"{out}.jsonl/"])


def _topologies(f: dict[str, str]) -> st.SearchStrategy[str]:
    corpus = sorted(str(p) for p in (ROOT / "tests" / "corpus" / "topologies").iterdir()
                    if p.suffix in (".txt", ".json"))
    return _values(["uniform2", "uniform4", "xeon2", f["topology.json"]],
                   ["nosuch", "", f["bad_topology.json"], f["dir"], f["missing"], *corpus])


def _spec_options(f: dict[str, str]) -> list[tuple[str, st.SearchStrategy[str] | None]]:
    defines = _values(["NODES=2", "NODES=1", "NODES=3", "FRAMES_PER_NODE=2"],
                      ["NODES=0", "NODES=-1", "NODES=x", "FRAMES_PER_NODE=0", "X=1", "=1",
                       "NODES", "NODES==2", "NODES=(", "l4.PAGES=3", "", "NODES=true"])
    return [("-D", defines), ("--topology", _topologies(f)), ("--json", None)]


def _flags(f: dict[str, str]) -> dict[str, list[tuple[str, st.SearchStrategy[str] | None]]]:
    """Each command's flags, with the values to draw (None: the flag takes none)."""
    work, ints, floats = _values(*WORK), _values(*INTS), _values(*FLOATS)
    out = _outputs(f)
    own: dict[str, list[tuple[str, st.SearchStrategy[str] | None]]] = {
        "check": [("--engine", _values(["bfs", "dfs", "bmc"], ["spin", ""])),
                  ("--depth", work), ("--no-symmetry", None), ("--no-vectorise", None),
                  ("--no-deadlock", None), ("--no-liveness", None), ("--max-states", ints),
                  ("--max-memory", ints), ("--timeout", floats), ("--trace-out", out)],
        "prove": [("--k", work), ("--invariant", _values(["small"], ["nosuch", ""])),
                  ("--no-lemmas", None), ("--timeout", floats)],
        "lint": [("--timeout", floats)],
        "fuzz": [("--examples", work), ("--max-steps", work), ("--seed", ints),
                 ("--time-budget", floats), ("--no-deadlock", None), ("--trace-out", out),
                 ("--impl", st.sampled_from(["nosuch:factory", "json:loads", ":", "x",
                                             "os.path:join", "numaspec:nosuch"]))],
        "simulate": [("--steps", work), ("--runs", work), ("--seed", ints),
                     ("--no-deadlock", None), ("--trace-out", out), ("--timeout", floats),
                     ("--workload", _values(["calm"], ["nosuch", ""])),
                     ("--no-shorten", None)],
        "trace": [("--hidden", _values(["inc", "inc,reset"], ["nosuch", "", ","])),
                  ("--max-hidden", work), ("--max-frontier", work), ("--witness", out)],
        "parse": [],
        "topology": [("--json", None)],
    }
    common = _spec_options(f)
    return {name: flags if name == "topology" else [*flags, *common]
            for name, flags in own.items()}


def _positionals(f: dict[str, str], command: str) -> st.SearchStrategy[list[str]]:
    specs = _specs(f)
    traces = st.sampled_from([f["walk.jsonl"], f["walk.jsonl"], f["cex.itf.json"],
                              f["truncated.jsonl"], f["garbage.jsonl"], f["empty.jsonl"],
                              f["missing"], f["dir"], f["tiny.numa"]])
    match command:
        case "parse":
            return st.lists(specs, min_size=1, max_size=3)
        case "trace":
            return st.tuples(specs, traces).map(list)
        case "topology":
            return _topologies(f).map(lambda name: [name])
        case _:
            return specs.map(lambda spec: [spec])


JUNK = ["--bogus", "-", "--", "-x", "--json=1", "--help=no", "extra", "-D"]


def command_lines(f: dict[str, str]) -> st.SearchStrategy[list[str]]:
    """A subcommand, its files and up to four flags; sometimes a stray token, sometimes the
    files left out.  (The strategies are built once: building them per line costs more than
    running most lines.)"""
    commands = sorted(BUDGET)
    flags = {c: st.lists(st.sampled_from(table), max_size=4) for c, table in _flags(f).items()}
    positionals = {c: _positionals(f, c) for c in commands}
    junk = st.sampled_from(JUNK)

    @st.composite
    def lines(draw: st.DrawFn) -> list[str]:
        command = draw(st.sampled_from(commands))
        line = [command, *BUDGET[command]]
        if draw(st.integers(0, 9)):
            line += draw(positionals[command])
        for flag, values in draw(flags[command]):
            line += [flag] if values is None else [flag, draw(values)]
        if not draw(st.integers(0, 7)):
            line.insert(draw(st.integers(1, len(line))), draw(junk))
        return line

    return lines()


class Hang(BaseException):
    """The time bound passed (a BaseException: no `except Exception` of the code swallows
    it)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def _known(text: str) -> bool:
    return any(re.search(pattern, text) for pattern, _ in KNOWN_FAILURES)


def _check(line: list[str]) -> None:
    """Run one command line; fail on a bad exit status, a traceback, an exception or a hang
    (unless it is one of KNOWN_FAILURES)."""
    shown = " ".join(repr(a) if not a or " " in a else a for a in ["numaspec", *line])
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_LINE)
    try:
        run = run_cli(line)
    except Hang:
        failure = f"no answer within {SECONDS_PER_LINE} s"
    except Exception as err:  # noqa: BLE001 -- the failure is reported, with its class
        failure = f"raised {type(err).__name__}: {err}"
    else:
        failure = None
        if run.status not in (0, 1, 2, 3):
            failure = f"exit status {run.status}"
        elif "Traceback (most recent call last)" in run.out + run.err:
            failure = "printed a traceback: " + (run.out + run.err)[-600:]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if failure is not None and not _known(f"{shown}\n{failure}"):
        pytest.fail(f"{shown}\n{failure}")



@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM")
def test_generated_command_lines_end_cleanly(files: dict[str, str]) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))  # as main does, once

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    @given(command_lines(files))
    def run(line: list[str]) -> None:
        _check(line)

    run()
