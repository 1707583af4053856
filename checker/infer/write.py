"""Candidates as numaspec source: a `module` of `@lemma invariant`s that `prove --lemmas`
reads.  Candidate i is written on line i + 2 (filter.py maps diagnostics back by line)."""

from __future__ import annotations

LEMMA_FILE = "<inferred lemmas>"


def candidate_name(index: int) -> str:
    return f"infer_c{index}"


def render(texts: list[str], names: list[str] | None = None,
           header: str = "module inferred_lemmas") -> str:
    """One `@lemma invariant NAME: EXPR` per line after the header."""
    names = names or [candidate_name(i) for i in range(len(texts))]
    lines = [header] + [f"@lemma invariant {name}: {text}"
                        for name, text in zip(names, texts, strict=True)]
    return "\n".join(lines) + "\n"


def lemma_file(spec_path: str, texts: list[str], comment: list[str]) -> str:
    """The side file written by `numaspec infer --out`: comments first, then the lemmas
    (named inferred_1, inferred_2, ...)."""
    header = "\n".join(f"// {line}" for line in [f"lemmas inferred for {spec_path}", *comment])
    body = render(texts, [f"inferred_{i + 1}" for i in range(len(texts))])
    return header + "\n" + body
