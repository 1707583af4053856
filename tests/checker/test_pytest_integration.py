"""The pytest integration behaves like Hypothesis: run as a user runs it, in a
temporary directory outside the checkout, with a profile chosen on the command line.

One pytest process runs: the docs' worked example verbatim, a factory object under a
profile of 3 examples (the factory counts the runs), the plugin's fixture, and a buggy
implementation whose report must be the numaspec counterexample with a reproduction."""

import sys
from pathlib import Path

from pytest_user import check_pytest_like_hypothesis


def test_pytest_outside_the_checkout_like_hypothesis(tmp_path: Path) -> None:
    check_pytest_like_hypothesis(sys.executable, tmp_path)
