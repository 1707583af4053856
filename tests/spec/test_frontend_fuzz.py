"""Random text and mutated valid specs go through the whole front end: the only possible
outcomes are a compiled spec or `SpecError` diagnostics — never another exception."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from harness import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numaspec.spec.diagnostics import SpecError, render_all
from numaspec.spec.pipeline import compile_spec
from numaspec.spec.syntax.hints import RESERVED_WORDS

SEEDS = [ROOT / "tests" / "corpus" / "good" / "constructs.numa",
         ROOT / "spec" / "examples" / "pernode.numa",
         ROOT / "spec" / "lib" / "l4.numa"]
EXAMPLES = int(os.environ.get("NUMASPEC_FUZZ_EXAMPLES", "150"))
TOKENS = sorted(RESERVED_WORDS) + [
    "(", ")", "[", "]", "{", "}", ",", ":", ":=", "=", "==", "!=", "<", "<=", "..", "+", "-",
    "*", "/", "%", "&", "|", "->", "?", ".", "@", ";", "0", "1", "7", "x", "Node", "Frame",
    "Page", "Set", "Map", "Seq", "size", "min", '"s"', "\n", " ", "//", "/*", "*/", "l4",
]
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the good corpus (so relative imports resolve) to write mutants into."""
    target = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "tests" / "corpus" / "good", target, dirs_exist_ok=True)
    return target


def front_end(workdir: Path, text: str | bytes) -> None:
    path = workdir / "mutant.numa"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    try:
        compile_spec(str(path))
    except SpecError as err:
        assert err.diagnostics
        rendered = render_all(err.diagnostics, err.sources)
        assert "error[E" in rendered.splitlines()[0]


@FUZZ
@given(st.text(max_size=300))
def test_random_text(workdir: Path, text: str) -> None:
    front_end(workdir, "spec fuzz\n" + text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=80))
def test_random_tokens(workdir: Path, tokens: list[str]) -> None:
    front_end(workdir, "spec fuzz\n" + " ".join(tokens))


@FUZZ
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_specs(workdir: Path, seed: Path, data: st.DataObject) -> None:
    lines = seed.read_text().splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["drop", "dup", "swap", "token", "cut"]))
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "token":
            col = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:col] + data.draw(st.sampled_from(TOKENS)) + lines[i][col:]
        else:
            col = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:col]
    front_end(workdir, "".join(lines))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(workdir: Path, data: bytes) -> None:
    front_end(workdir, b"spec fuzz\n" + data)
