# The worked example of docs/fuzzing.md (the documentation includes this file verbatim).
"""Fuzz the example pager implementation against P1, as a pytest test class."""

from hypothesis import settings

import numaspec.examples
from numaspec.checker.fuzz import spec_test
from numaspec.examples import pager_impl

# One test per spec: Hypothesis drives the spec and the implementation in lockstep, checks
# every invariant, compares observe() after every step, and offers disabled actions that the
# implementation must refuse.  A failure is shrunk, printed as a numaspec counterexample with
# the implementation's calls that reproduce it, and saved in .hypothesis/ to be replayed
# first on the next run.  Settings left out come from the Hypothesis profile.
TestPagerConformsToP1 = spec_test(
    numaspec.examples.path("pernode"),
    impl=pager_impl.correct,
    settings=settings(max_examples=40, stateful_step_count=30),
)
