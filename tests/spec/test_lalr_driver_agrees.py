"""The fast LALR driver (spec/syntax/lalr_driver.py) reads lark's parse tables, private to
lark, so pyproject bounds lark below 2; this test is what tells a new lark apart: on every
spec of the corpus and the bundled ones, lark's own LALR parser and the driver build the
same AST (or both refuse the file)."""

from pathlib import Path

import pytest
from harness import ROOT
from lark.exceptions import UnexpectedInput

from numaspec.spec.diagnostics import SpecError
from numaspec.spec.syntax import parser
from numaspec.spec.syntax.lexer import FastLexer
from numaspec.spec.syntax.transformer_body import BodyBuilder

FILES = sorted(p for folder in ("spec", "tests") for p in (ROOT / folder).rglob("*.numa"))


def _lark(text: str, file: str) -> object:
    BodyBuilder.current_file = file
    FastLexer.current_file = file
    return parser._parser().parse(text, start="start")


def _outcome(run: object) -> object:
    try:
        return run()  # type: ignore[operator]
    except (UnexpectedInput, SpecError, RecursionError) as err:
        return type(err).__name__ if not isinstance(err, UnexpectedInput) else "syntax error"


def test_the_corpus_is_there() -> None:
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_lark_and_the_driver_build_the_same_ast(path: Path) -> None:
    try:
        text = path.read_text("utf-8")
    except (UnicodeDecodeError, OSError):
        pytest.skip("not a readable UTF-8 file (a bad-input case of the corpus)")
    file = str(path.relative_to(ROOT))
    ours = _outcome(lambda: parser._run(text, file, "start"))
    theirs = _outcome(lambda: _lark(text, file))
    assert ours == theirs
