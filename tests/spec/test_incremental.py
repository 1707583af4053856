"""The language server's incremental parse equals a whole parse, after any edit."""

from __future__ import annotations

from pathlib import Path

from harness import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from numaspec.spec.diagnostics import SpecError
from numaspec.spec.syntax.incremental import ParseCache
from numaspec.spec.syntax.nodes import Module
from numaspec.spec.syntax.parser import parse_module

SPECS = sorted([*ROOT.glob("spec/**/*.numa"), *ROOT.glob("tests/corpus/**/*.numa")])
PERNODE = (ROOT / "spec" / "examples" / "pernode.numa").read_text()
PIECES = ["\n", " ", "var ", "action ", "}", "{", "(", "x", "1", "// c\n", "@lemma\n",
          "invariant i: true\n", "const C = 1\n", "/*", "*/", "\nconst"]


def _outcome(parse: object, text: str) -> Module | list[object]:
    try:
        return parse(text, "f.numa")  # type: ignore[operator, no-any-return]
    except SpecError as err:
        return list(err.diagnostics)


def test_every_spec_parses_as_a_whole() -> None:
    cache = ParseCache()
    for path in SPECS:
        text = path.read_text(encoding="utf-8-sig")
        assert _outcome(cache.parse, text) == _outcome(parse_module, text), path


def test_declarations_that_did_not_change_are_reused() -> None:
    cache = ParseCache()
    first = cache.parse(PERNODE, "f.numa")
    edited = cache.parse(PERNODE.replace("const PAGES = 2", "const PAGES = 3"), "f.numa")
    assert edited.items[-1] is first.items[-1]
    moved = PERNODE.replace("const PAGES = 2", "const PAGES =\n  2")
    assert cache.parse(moved, "f.numa") == parse_module(moved, "f.numa")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(PERNODE)), st.integers(0, 40),
                          st.sampled_from(PIECES)), min_size=1, max_size=4))
def test_after_random_edits(edits: list[tuple[int, int, str]]) -> None:
    cache = ParseCache()
    text = PERNODE
    cache.parse(text, "f.numa")
    for at, cut, piece in edits:
        text = text[:at] + piece + text[at + cut:]
        assert _outcome(cache.parse, text) == _outcome(parse_module, text), Path("f.numa")
