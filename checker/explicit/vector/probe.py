"""Checking a declared `symmetric Node` on the first states of a vectorised search.

A spec that declares `symmetric Node` promises that renaming nodes maps behaviours to
behaviours; symmetry reduction is unsound otherwise.  The promise is tested, as the
interpreted search does (search.py), on the first states explored: for every permutation of
the topology, each state's image must satisfy the same invariants, and the successors of the
image must be the images of the successors.  All images of all probed states are stepped as
one batch.
"""

from __future__ import annotations

import numpy as np

from numaspec.checker.explicit.vector.hash import Fingerprinter
from numaspec.checker.explicit.vector.step import VectorStepper


def commutes(stepper: VectorStepper, fingerprints: Fingerprinter, batch: np.ndarray) -> bool:
    """Whether stepping and invariants commute with every node permutation on `batch`."""
    count, images = len(batch), fingerprints.size - 1
    renamed = np.concatenate([fingerprints.image(batch, g) for g in range(images)])
    violating = stepper.violating(stepper.columns(batch))
    renamed_violating = stepper.violating(stepper.columns(renamed))
    rows, after = stepper.successors(batch)
    renamed_rows, renamed_after = stepper.successors(renamed)
    renamed_hashes = fingerprints.plain(renamed_after)
    for g in range(images):
        if not np.array_equal(violating, renamed_violating[g * count:(g + 1) * count]):
            return False
        mine = set(zip(rows.tolist(), fingerprints.plain(fingerprints.image(after, g)).tolist(),
                       strict=True))
        mask = renamed_rows // count == g
        theirs = set(zip((renamed_rows[mask] % count).tolist(),
                         renamed_hashes[mask].tolist(), strict=True))
        if mine != theirs:
            return False
    return True
