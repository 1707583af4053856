"""`numaspec examples`: the bundled specs (spec/bundled.py), which every command that reads
a spec accepts by name (`numaspec check pernode`)."""

from __future__ import annotations

import argparse
import json

from numaspec.model.outcome import Outcome
from numaspec.spec.bundled import names, path


def add_examples(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "examples", help="list the bundled specs (usable by name: numaspec check pernode)",
        description="List the bundled specs with their files. Every command that reads a "
                    "spec takes one by name where no file of that name exists.")
    cmd.add_argument("--json", action="store_true", help="machine-readable output")
    cmd.set_defaults(run=examples_command)


def examples_command(args: argparse.Namespace) -> Outcome:
    found = {name: str(path(name)) for name in names()}
    if args.json:
        print(json.dumps({"examples": found}, indent=2))
    else:
        width = max(map(len, found), default=0)
        for name, file in found.items():
            print(f"{name:<{width}}  {file}")
    return Outcome.OK
