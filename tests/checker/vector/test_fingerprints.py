"""The fingerprint set and index against Python's set and dict, and fingerprints under
symmetry against the model's images of the sample states."""

from __future__ import annotations

import numpy as np
import pytest
from vector_helpers import Samples, batch_of

from numaspec.checker.explicit.symmetry import Symmetry
from numaspec.checker.explicit.vector.hash import Fingerprinter, FingerprintIndex, FingerprintSet
from numaspec.checker.explicit.vector.layout import Layout


def test_fingerprint_set_matches_a_python_set() -> None:
    rng = np.random.default_rng(7)
    pool = rng.integers(1, 2**64 - 1, size=200_000, dtype=np.uint64, endpoint=True)
    store, reference = FingerprintSet(capacity=1 << 10), set[int]()
    for _ in range(12):
        batch = np.unique(rng.choice(pool, size=25_000))  # distinct, some seen before
        rng.shuffle(batch)
        fresh = store.add_new(batch)
        assert fresh.tolist() == [int(k) not in reference for k in batch.tolist()]
        reference.update(batch.tolist())
        assert store.count == len(reference)
    assert len(store.table) >= 2 * len(reference)
    everything = np.array(sorted(reference), dtype=np.uint64)
    assert not store.add_new(everything).any()  # every key survived the growths
    assert store.add_new(pool[~np.isin(pool, everything)]).all()


def test_fingerprint_set_collisions_and_wrap_around() -> None:
    """Keys that all want the same slots, the last ones included (probing wraps)."""
    store = FingerprintSet(capacity=64)
    limit = len(store.table) - 1
    for slot in (limit, 0, 5):
        keys = (np.uint64(slot) << np.uint64(17)) | np.arange(1, 25, dtype=np.uint64)
        assert store.add_new(keys).all()
        assert not store.add_new(keys[::-1].copy()).any()
    assert store.count == 72 and len(store.table) >= 144
    high = np.arange(1, 1000, dtype=np.uint64) | np.uint64(1 << 63)
    assert store.add_new(high).all() and not store.add_new(high).any()


def test_fingerprint_index_numbers_every_key() -> None:
    rng = np.random.default_rng(11)
    keys = np.unique(rng.integers(1, 2**64 - 1, size=60_000, dtype=np.uint64, endpoint=True))
    rng.shuffle(keys)
    index, numbers = FingerprintIndex(capacity=1 << 8), dict[int, int]()
    for start in range(0, len(keys), 7_000):  # growths move numbers with their keys
        batch = keys[max(0, start - 3_000):start + 7_000]  # overlapping batches
        fresh = index.add_numbered(batch, len(numbers))
        assert fresh.tolist() == [int(k) not in numbers for k in batch.tolist()]
        for key in batch[fresh].tolist():
            numbers[key] = len(numbers)
    assert index.count == len(numbers) == len(keys)
    assert index.find(keys).tolist() == [numbers[int(k)] for k in keys.tolist()]
    extra = np.arange(1, 101, dtype=np.uint64)
    assert index.add(extra, np.arange(1000, 1100)).all()
    assert not index.add(extra, np.zeros(100, dtype=np.int64)).any()  # numbers kept
    assert index.find(extra[::-1].copy()).tolist() == list(range(1099, 999, -1))


def test_fingerprint_index_keeps_negative_values_through_growths() -> None:
    """Plain -> canonical fingerprints are stored as int64, half of them negative (and one
    may be -1): every one must survive the table's growths and be told from absence."""
    rng = np.random.default_rng(13)
    keys = np.unique(rng.integers(1, 2**64 - 1, size=20_000, dtype=np.uint64, endpoint=True))
    values = rng.integers(-2**63, 2**63 - 1, size=len(keys), dtype=np.int64, endpoint=True)
    values[0] = -1
    index = FingerprintIndex(capacity=1 << 8)
    for start in range(0, len(keys), 1_000):  # about six growths
        index.add(keys[start:start + 1_000], values[start:start + 1_000])
    found, stored = index.lookup(keys)
    assert found.all() and (stored == values).all()
    assert (values < 0).sum() > 9_000
    absent = np.arange(1, 51, dtype=np.uint64)
    assert not index.lookup(absent[~np.isin(absent, keys)])[0].any()


@pytest.mark.parametrize("name", ["P1", "constructs"])
def test_fingerprints_under_symmetry(name: str, samples: Samples) -> None:
    spec, states = samples[name]
    layout, symmetry = Layout(spec), Symmetry(spec)
    group = symmetry.group
    assert len(group) == symmetry.size == 6  # 3 nodes, uniform distances
    fingerprints = Fingerprinter(layout, group)
    batch = batch_of(layout, states)
    canonical, plain = fingerprints.fingerprints(batch)
    assert len(set(plain.tolist())) == len(states)  # no collision among distinct states
    assert (plain != 0).all() and (canonical <= plain).all()
    assert np.array_equal(fingerprints.plain(batch), plain)
    # The images the fingerprinter builds are the rows of the model's images.
    model_images = [batch_of(layout, [symmetry.image(s, g) for s in states])
                    for g in range(symmetry.size - 1)]
    own_images = [fingerprints.image(batch, g) for g in range(fingerprints.size - 1)]
    mine = [[r.tobytes() for r in image] for image in own_images]
    theirs = [[r.tobytes() for r in image] for image in model_images]
    for at, state in enumerate(states):
        assert {m[at] for m in mine} == {t[at] for t in theirs}, state
    # Every image of every state has the state's canonical fingerprint ...
    for image in model_images:
        assert np.array_equal(fingerprints.fingerprints(image)[0], canonical)
    # ... and states of different orbits have different ones.
    own = [r.tobytes() for r in batch]
    orbits = {min([own[at], *(t[at] for t in theirs)]) for at in range(len(states))}
    assert len(set(canonical.tolist())) == len(orbits) < len(states)
    # Without symmetry the canonical fingerprint is the plain one.
    alone = Fingerprinter(layout, None)
    assert alone.size == 1
    assert np.array_equal(alone.fingerprints(batch)[0], plain)
