"""Trace files the CLI writes: the ITF options (`--itf-names`, `--mbt`), the format a
`--trace-out` name asks for, and the names of several traces (`{seq}`).

`simulate --trace-out` is strict: `.itf.json` is ITF, `.jsonl` the JSONL log, anything else
E040 (check and fuzz write ITF for any name but `.jsonl`, as they always did).  Several traces
(`simulate --n-traces N`) need `{seq}` in the name (E041), replaced by 0, 1, ...  All of it is
checked before any work starts.
"""

from __future__ import annotations

import argparse

from numaspec.spec.diagnostics import fail
from numaspec.traces.formats.itf_style import NAME_STYLES, ItfStyle

FORMATS = {".itf.json": "itf", ".jsonl": "jsonl"}


def add_itf_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--itf-names", choices=NAME_STYLES, default="numaspec",
                     help="variable names in ITF files: numaspec (l4.pt, the default) or "
                          "quint (l4::pt)")
    cmd.add_argument("--mbt", action="store_true",
                     help="write Quint's mbt::actionTaken and mbt::nondetPicks in ITF files")


def itf_style(args: argparse.Namespace) -> ItfStyle:
    return ItfStyle(getattr(args, "itf_names", "numaspec"), bool(getattr(args, "mbt", False)))


def trace_format(path: str, option: str = "--trace-out") -> str:
    """"itf" or "jsonl" by the ending of `path`; E040 for any other ending."""
    for ending, name in FORMATS.items():
        if path.endswith(ending):
            return name
    raise fail("E040", f"{option} {path}: the name must end in .itf.json (ITF) or .jsonl "
               "(the JSONL event log)", None)


def numbered(template: str, count: int, option: str = "--trace-out") -> list[str]:
    """The `count` file names of `template` with `{seq}` replaced by 0, 1, ...; E041 if
    several are asked for and `{seq}` is missing."""
    if "{seq}" not in template:
        if count > 1:
            raise fail("E041", f"{option} {template}: {count} traces are to be written; put "
                       "{seq} in the name (e.g. walk_{seq}.itf.json)", None)
        return [template]
    return [template.replace("{seq}", str(seq)) for seq in range(count)]
