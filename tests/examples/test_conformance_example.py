# The worked example of docs/fuzzing.md (the documentation includes this file verbatim).
"""Fuzz the example pager implementation against P1, as a pytest test class."""

from pathlib import Path

from hypothesis import settings

from numaspec.checker.fuzz import spec_test

P1 = Path(__file__).resolve().parents[2] / "spec" / "examples" / "pernode.numa"

# One test per spec: Hypothesis drives the spec and the implementation in lockstep, checks
# every invariant, compares observe() after every step, and offers disabled actions that the
# implementation must refuse.  A failure is shrunk, and saved in .hypothesis/ to be replayed
# first on the next run.
TestPagerConformsToP1 = spec_test(
    str(P1),
    impl="examples.pager_impl:correct",
    settings=settings(max_examples=40, stateful_step_count=30, deadline=None),
)
