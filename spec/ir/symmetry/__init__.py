"""The check behind `symmetric Node`: the spec's behaviour commutes with renaming nodes.

`check.py` walks the IR (the syntactic criterion of docs/language.md, "Symmetry"),
`loops.py` decides whether the iterations of a `for` over nodes commute, `values.py` whether a
constant or an initial value is the same under every renaming.
"""
