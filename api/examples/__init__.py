"""The bundled designs, by name, after any installation (`numaspec.examples`).

    import numaspec.examples
    numaspec.examples.names()            # ['migration', 'node_local', 'pernode', ...]
    numaspec.examples.path("pernode")    # the file of P1, wherever numaspec is installed

The specs are package data of `numaspec.spec` (spec/examples/ in a checkout), next to the
standard library they import; the lookup is spec/bundled.py.  Every command that reads a
spec takes a bundled name where no file of that name exists (`numaspec check pernode`).
`numaspec.examples.pager_impl` is the example implementation of P1 (examples/pager_impl/ in
a checkout), for `fuzz --impl numaspec.examples.pager_impl:correct` and for pytest.
"""

from __future__ import annotations

from numaspec.spec.bundled import find, names, path

__all__ = ["find", "names", "path"]
