"""The language server's queries accept any text and any position (no pygls needed)."""

from __future__ import annotations

from pathlib import Path

from harness import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numaspec.lsp.describe import declared_type, hover_text, outline, type_at
from numaspec.lsp.resolve import completions, references, resolve_at, views
from numaspec.spec.pipeline import analyse
from numaspec.spec.syntax.incremental import ParseCache

SEED = (ROOT / "spec" / "examples" / "migration.numa").read_text()
PIECES = ["\n", " ", ".", "l4.", "(", ")", "{", "}", "x", "map", "let ", "// c", "/*", '"',
          "\u00e9", "\t", "@", "action a() {", "invariant i: ", "var v : ", "\x00"]


def _queries(path: Path, text: str, offsets: list[int]) -> None:
    analysis = analyse(str(path), {path: text}, ParseCache().parse)
    files = views(analysis, path, text)
    view = files[path]
    if view.scope is not None:
        outline(view.scope.loaded.ast)
    for offset in offsets:
        target = resolve_at(view, offset)
        line, col = view.position(min(offset, len(text)))
        kind = declared_type(analysis, target) or type_at(analysis, view, line, col)
        hover_text(target, files, kind)
        completions(view, offset)
        if target is not None and target.place is not None:
            references(files, target, True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.integers(0, 30),
                          st.sampled_from(PIECES)), max_size=4),
       st.lists(st.integers(-5, len(SEED) + 5), min_size=1, max_size=6))
def test_mutated_specs_and_any_position(edits: list[tuple[int, int, str]],
                                        offsets: list[int]) -> None:
    text = SEED
    for at, cut, piece in edits:
        text = text[:at] + piece + text[at + cut:]
    _queries(ROOT / "spec" / "examples" / "mutant.numa", text, offsets)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200), st.lists(st.integers(-2, 210), min_size=1, max_size=4))
def test_arbitrary_text(text: str, offsets: list[int]) -> None:
    _queries(ROOT / "spec" / "examples" / "arbitrary.numa", text, offsets)
