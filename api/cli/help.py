"""What every `--help` shows besides argparse's own: each option's default, and the exit
statuses (docs/cli.md).  Used by the parser class of api/cli/main.py for every command."""

from __future__ import annotations

import argparse
import re
from typing import Any

EXIT_STATUSES = ("exit status: 0 ok (valid, holds, conforms); 1 a property is violated or a "
                 "trace does not conform; 2 bad input (spec, trace, arguments); 3 stopped at a "
                 "resource limit or by Ctrl-C, with partial results")

# A help text that already names its default: "(10)", "(default: ...)", "(60; 0: do not)".
_NAMED = re.compile(r"\(default|\(\S+?[);:]")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with ` (default: X)` after each option that has a default and does
    not already say it; flags (store_true) and repeatable options without one get none."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if default in (None, False, True, [], "", argparse.SUPPRESS) or not action.option_strings:
            return text
        if _NAMED.search(text) or "%(default)" in text:
            return text
        return f"{text} (default: %(default)s)"


def parser_defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of an ArgumentParser with the formatter and the exit-status
    epilog filled in where the caller gave none."""
    kwargs.setdefault("formatter_class", HelpFormatter)
    kwargs.setdefault("epilog", EXIT_STATUSES)
    return kwargs
