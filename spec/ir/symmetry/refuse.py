"""E405 for a `symmetric Node` the spec does not have: what every engine calls first."""

from __future__ import annotations

from numaspec.spec.diagnostics import Diagnostic, Note, SpecError
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.symmetry.check import asymmetry


def symmetry_error(spec: ir.Spec, sources: dict[str, str] | None = None) -> SpecError | None:
    """E405 naming the first construct that breaks the declared `symmetric Node`, or None
    (also None when the spec declares no symmetry)."""
    if "Node" not in spec.symmetric:
        return None
    found = asymmetry(spec)
    if found is None:
        return None
    return SpecError([Diagnostic(
        "E405", f"`symmetric Node` does not hold: {found.reason}", found.span, "error",
        (Note("symmetry reduction keeps one state per renaming of the nodes, which is sound "
              "only if renaming the nodes maps behaviours to behaviours (docs/language.md, "
              "\"Symmetry\")"),
         Note("remove `symmetric Node`, or check without symmetry reduction: --no-symmetry")),
    )], sources)


def require_symmetric(spec: ir.Spec, sources: dict[str, str] | None = None) -> None:
    """Raise E405 if `spec` declares `symmetric Node` but breaks it (see check.py)."""
    error = symmetry_error(spec, sources)
    if error is not None:
        raise error
