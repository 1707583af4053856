"""The result of `numaspec trace` as text and as JSON (docs/traces.md shows both)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from numaspec.traces.explain import CandidateReport, Reason
from numaspec.traces.validate import Divergence, ValidationResult

SHOWN_CANDIDATES = 3  # more candidates than this are summarised
SHOWN_GROUPS = 6
_EXCERPT = 160


def text_report(trace: str, spec: str, result: ValidationResult,
                notes: list[str]) -> list[str]:
    head = f"trace {trace} against {spec}: "
    lines: list[str]
    if result.verdict == "conforms":
        lines = [head + "conforms"]
    elif result.verdict == "limit" and result.stopped_by == "interrupted":
        lines = [head + (f"interrupted after line {result.limit_line}: it conforms up to there "
                         if result.limit_line else f"interrupted after {result.events:,} "
                         "event(s): they conform " if result.events
                         else "interrupted before a line matched ")
                 + "(incomplete)"]
    elif result.verdict == "limit":
        lines = [head + f"stopped at line {result.limit_line}: more candidate states than "
                 "--max-frontier (incomplete)"]
    else:
        assert result.divergence is not None
        divergence = result.divergence
        at = f"node {divergence.node}, {divergence.path} line {divergence.line}" \
            if divergence.path is not None else where(divergence)
        lines = [head + f"does not conform at {at}", *divergence_lines(divergence)]
    lines += ["", *stats_lines(result)]
    lines += [f"note: {note}" for note in notes]
    return lines


def stats_lines(result: ValidationResult) -> list[str]:
    observations = f" and {result.observations:,} state observation(s)" \
        if result.observations else ""
    return [f"events matched: {result.events:,}{observations}; hidden steps inferred: "
            f"{result.hidden_steps:,}; largest frontier: {result.largest_frontier:,} "
            "candidate state(s)",
            f"time: {result.seconds:.2f} s ({result.events_per_second:,.0f} events/s)"]


def divergence_lines(divergence: Divergence) -> list[str]:
    excerpt = divergence.text.strip()
    if len(excerpt) > _EXCERPT:
        excerpt = excerpt[:_EXCERPT - 3] + "..."
    matched = f"the first {divergence.matched_events:,} event(s) match" + (
        f" (up to line {divergence.last_matched_line})" if divergence.last_matched_line
        else "") if divergence.matched_events else "no event before it"
    count = divergence.candidate_count
    if divergence.path is not None:
        matched = f"{divergence.matched_events:,} event(s) of the logs match in an order " \
            "their causal order allows" if divergence.matched_events else "no event before it"
    lines = [f"  {where(divergence)}: {excerpt}", f"  {divergence.label}",
             f"matched prefix: {matched}"]
    if divergence.preceding:
        lines += ["causally after (the other nodes' events before it):",
                  *(f"  {entry}" for entry in divergence.preceding)]
    lines.append(f"the spec allows {count} candidate state(s) here; "
                 f"{'it refuses' if count == 1 else 'none accepts'} the "
                 f"{'event' if divergence.label != 'state observation' else 'observation'}:")
    if count <= SHOWN_CANDIDATES:
        for number, report in enumerate(divergence.candidates, 1):
            lines += _candidate(number, report)
    else:
        lines += _summary(divergence.candidates)
    return lines


def where(divergence: Divergence) -> str:
    """`state 3 (line 40)` for an ITF trace (whose states may share a line), else `line 40`."""
    if divergence.state is None:
        return f"line {divergence.line}"
    return f"state {divergence.state} (line {divergence.line})"


def _candidate(number: int, report: CandidateReport) -> list[str]:
    after = f" (after hidden {', '.join(report.hidden)})" if report.hidden else ""
    lines = [f"  candidate {number}{after}:"]
    lines += [f"    {_reason(reason)}" for reason in report.reasons]
    if report.unexplained:
        lines.append(f"    ... and {report.unexplained} more instance(s) of the event")
    return lines


def _reason(reason: Reason) -> str:
    return f"{reason.instance} {reason.message}" if reason.instance else reason.message


def _summary(reports: list[CandidateReport]) -> list[str]:
    """Refusals grouped by action and reason (which `require`, which variable...), each with
    how many candidates gave it and one example."""
    candidates: Counter[tuple[str, str]] = Counter()
    instances: dict[tuple[str, str], set[str | None]] = {}
    example: dict[tuple[str, str], Reason] = {}
    for report in reports:
        keys = set()
        for reason in report.reasons:
            key = ((reason.instance or "").split("(")[0], reason.key)
            keys.add(key)
            instances.setdefault(key, set()).add(reason.instance)
            example.setdefault(key, reason)
        candidates.update(keys)
    lines = []
    for key, count in candidates.most_common(SHOWN_GROUPS):
        more = len(instances[key]) - 1
        also = f" (and {more} more instance(s) of the event)" if more else ""
        lines.append(f"  {count:,} candidate(s): {_reason(example[key])}{also}")
    if len(candidates) > SHOWN_GROUPS:
        lines.append(f"  ... and {len(candidates) - SHOWN_GROUPS} more kind(s) of refusal")
    lines.append("  (the values shown are one candidate's; --json lists the candidates)")
    return lines


def json_report(trace: str, spec: str, result: ValidationResult,
                notes: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "trace": trace, "spec": spec, "verdict": result.verdict, "events": result.events,
        "observations": result.observations, "hidden_steps": result.hidden_steps,
        "largest_frontier": result.largest_frontier, "seconds": round(result.seconds, 3),
        "events_per_second": round(result.events_per_second), "limit_line": result.limit_line,
        "stopped_by": result.stopped_by,
        "notes": notes, "divergence": None}
    divergence = result.divergence
    if divergence is not None:
        data["divergence"] = {
            "line": divergence.line, "state": divergence.state, "text": divergence.text,
            "event": divergence.label,
            "matched_events": divergence.matched_events,
            "last_matched_line": divergence.last_matched_line,
            "node": divergence.node, "file": divergence.path,
            "causally_after": divergence.preceding,
            "candidate_count": divergence.candidate_count,
            "candidates": [{"hidden": c.hidden, "unexplained_instances": c.unexplained,
                            "reasons": [{"instance": r.instance, "kind": r.kind,
                                         "message": r.message} for r in c.reasons]}
                           for c in divergence.candidates]}
    return data
