"""The bundled designs (spec/examples/*.numa, package data of `numaspec.spec`), by name.

`numaspec.examples` (api/examples/) is the public face of this module; it lives here so that
every layer can name a bundled spec (the pytest integration in checker/fuzz/ does).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from numaspec.spec.diagnostics import Note, SpecError, fail

SUFFIX = ".numa"


def directory() -> Path:
    """The folder of the bundled specs, wherever numaspec is installed."""
    return Path(str(resources.files("numaspec.spec").joinpath("examples")))


def names() -> list[str]:
    """The names of the bundled specs, sorted (`pernode`, ...)."""
    return sorted(p.name.removesuffix(SUFFIX) for p in directory().glob(f"*{SUFFIX}"))


def path(name: str) -> Path:
    """The file of the bundled spec `name` (`"pernode"` or `"pernode.numa"`).  Raises
    SpecError (E051) if there is none."""
    stem = name.removesuffix(SUFFIX)
    candidate = directory() / f"{stem}{SUFFIX}"
    if not stem or "/" in stem or "\\" in stem or not candidate.is_file():
        raise fail("E051", f"no bundled example named {name!r}", None,
                   Note(f"the bundled examples: {', '.join(names())}"))
    return candidate


def find(argument: str) -> str:
    """The spec a command was given: `argument` itself if it may name a file (it exists, is
    `-`, has a directory or a suffix), else the bundled example of that name if there is
    one, else `argument` (to be reported as unreadable)."""
    if argument == "-" or Path(argument).exists() or Path(argument).suffix or \
            "/" in argument or "\\" in argument:
        return argument
    try:
        return str(path(argument))
    except SpecError:
        return argument
