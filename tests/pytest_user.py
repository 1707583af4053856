"""The user's side of the pytest integration (tests/checker/test_pytest_integration.py, and
tests/test_wheel.py after a wheel install): a conftest with a profile of 3 examples, the docs'
worked example verbatim, a factory object, the plugin's fixture and a buggy implementation,
run by a given interpreter outside the checkout, and what its report must say."""

import subprocess
from pathlib import Path

from harness import ROOT

CONFTEST = """
from hypothesis import settings
settings.register_profile("three", max_examples=3, database=None)
"""

TESTS = '''
from hypothesis import settings
from numaspec.checker.fuzz import spec_test
from numaspec.examples import pager_impl

RUNS = []


def counting(**constants):
    RUNS.append(constants)
    return pager_impl.correct(**constants)


TestCounted = spec_test("pernode", impl=counting)


def test_the_factory_got_the_constants():
    assert RUNS and RUNS[0]["nodes"] == 3 and RUNS[0]["pages"] == 2, RUNS


def test_the_fixture(numaspec_conforms):
    numaspec_conforms("pernode", impl=pager_impl.correct)


TestBuggy = spec_test("pernode", impl="numaspec.examples.pager_impl:buggy_skip_node",
                      settings=settings(max_examples=300))
'''


USER = "test_user" + ".py"  # written into the temporary directory only


def check_pytest_like_hypothesis(python: str, tmp_path: Path) -> None:
    """Run the user's tests with `python` (one with numaspec and pytest installed) in
    `tmp_path`, and check what pytest reports (tests/test_wheel.py: after a wheel install)."""
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / USER).write_text(TESTS)
    example = ROOT / "tests/examples/test_conformance_example.py"
    (tmp_path / example.name).write_text(example.read_text())
    run = subprocess.run([python, "-m", "pytest", "-p", "no:cacheprovider",
                          "--hypothesis-profile", "three", "--hypothesis-show-statistics",
                          "-rN", "--tb=short"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "1 failed, 4 passed" in out, out
    counted = out[out.index(f"{USER}::TestCounted::runTest"):]
    generate = counted[counted.index("during generate phase"):counted.index("Stopped")]
    assert "- 3 passing, 0 failing" in generate, counted  # the profile's 3, not numaspec's 100
    failure = out[out.index("TestBuggy.runTest"):]
    assert "diverges" in failure and "FrozenMap" not in failure
    assert "reproduce (the implementation alone" in failure
    assert "from numaspec.examples.pager_impl import buggy_skip_node" in failure
    assert "Draw 1 (instance): fault(" in failure
    assert "numaspec: 0." in out  # the plugin's report header
