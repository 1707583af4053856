"""Bad specs too big or too binary to keep in git; the test writes them out before running.

Each entry: file name -> bytes.  Their golden diagnostics are `<name>.expected` next to this file.
"""

from __future__ import annotations


def _deep_parens(depth: int) -> bytes:
    return ("spec deep\nconst X = " + "(" * depth + "1" + ")" * depth + "\n").encode()


def _huge_file() -> bytes:
    line = "const C{i} = {i}  // padding padding padding padding padding padding padding\n"
    body = "".join(line.format(i=i) for i in range(70_000))
    return ("spec huge\n" + body).encode()


GENERATED: dict[str, bytes] = {
    "gen_nested_parens_10000.numa": _deep_parens(10_000),
    "gen_five_megabytes.numa": _huge_file(),
    "gen_not_utf8.numa": b"spec latin1\n// caf\xe9\nconst A = 1\n",
}
