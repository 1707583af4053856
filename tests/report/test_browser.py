"""The HTML report and the explorer in a real browser: Debian's headless Chromium driven by
Selenium (installed by .ci/run; skipped where either is missing).  Nothing downloads a
browser: the driver and the binary are named explicitly.  The screenshots of docs/visual.md
are taken here (NUMASPEC_SCREENSHOTS=1 rewrites them in docs/visual/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import P1, ROOT, run_cli
from test_html_report import BUG1, BUG2, BUG3, divergent_trace, long_counterexample

CHROMIUM = os.environ.get("NUMASPEC_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("NUMASPEC_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = ROOT / "docs" / "visual"
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("at_root")]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        pytest.skip(f"no Chromium ({CHROMIUM}) or chromedriver ({DRIVER})")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--disable-gpu", "--window-size=1400,800", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _css(driver: Any, selector: str) -> list[Any]:
    return driver.find_elements("css selector", selector)  # type: ignore[no-any-return]


def _shot(driver: Any, name: str, selector: str | None = None) -> None:
    """The screenshot of docs/visual.md, taken only when asked (they are committed)."""
    if os.environ.get("NUMASPEC_SCREENSHOTS") == "1":
        from PIL import Image  # matplotlib's dependency: shrink to a 64-colour palette

        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"{name}.png"
        if selector is None:  # the window as the user sees it
            driver.save_screenshot(str(path))
        else:
            _css(driver, selector)[0].screenshot(str(path))
        Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)


def _open(driver: Any, path: Path) -> float:
    """Load a report; the seconds from navigation to the page's load event."""
    driver.get(path.resolve().as_uri())
    timing = driver.execute_script(
        "var t=performance.getEntriesByType('navigation')[0];return t.loadEventEnd-t.startTime")
    return float(timing) / 1000


def test_counterexample_chart_has_a_lane_per_node_and_an_arrow_per_message(
        browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "bug2.html"
    assert run_cli(["check", BUG2, "--html", str(out)]).status == 1
    _open(browser, out)
    assert len(_css(browser, "svg.msc g.lane")) == 3
    assert len(_css(browser, "svg.msc g.arrow")) == 3  # two received, one in flight
    assert len(_css(browser, "svg.msc g.arrow.in-flight")) == 1
    violated = _css(browser, "section#violation.violated")[0]
    assert violated.get_attribute("data-property") == "no_stale_frame"
    assert violated.value_of_css_property("border-top-color") == "rgba(198, 40, 40, 1)"
    _css(browser, 'svg.msc g.step[data-step="3"] text.label')[0].click()  # selects its row
    assert "selected" in _css(browser, "section#step-3")[0].get_attribute("class")
    _shot(browser, "report")


def test_lasso_of_bug3_at_two_nodes(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "bug3.html"
    assert run_cli(["check", BUG3, "-D", "NODES=2", "--html", str(out)]).status == 1
    _open(browser, out)
    assert len(_css(browser, "svg.msc g.lane")) == 2
    assert len(_css(browser, "svg.msc g.arrow")) == 0  # node 1 is skipped: no message
    loop = _css(browser, "svg.msc g.loop")
    assert len(loop) == 1 and loop[0].get_attribute("data-from") == "2"
    assert loop[0].find_element("css selector", "rect").size["height"] > 0
    assert _css(browser, "#violation")[0].get_attribute("data-property") == "unmap_terminates"
    _shot(browser, "lasso", "div.chart")


def test_trace_divergence_report(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "divergence.html"
    assert run_cli(["trace", P1, str(divergent_trace(tmp_path)), "--html", str(out)]).status \
        == 1
    _open(browser, out)
    assert len(_css(browser, "svg.msc g.lane")) == 3
    assert _css(browser, "#violation")[0].get_attribute("data-kind") == "divergence"
    reasons = _css(browser, "section.candidate li.reason")
    assert reasons and all("the spec has" in r.text for r in reasons)
    _shot(browser, "divergence")


def test_a_40_step_report_opens_in_under_a_second(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "long.html"
    long_counterexample(out)
    assert out.stat().st_size < 300_000
    seconds = _open(browser, out)
    assert len(_css(browser, "svg.msc g.step")) == 42 and len(_css(browser, "svg.msc g.lane")) == 4
    assert seconds < 1.0, seconds


class _Explore:
    """`numaspec explore` as a process on a free port."""

    def __init__(self, *argv: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from numaspec.cli.main import main; main()", "explore",
             *argv, "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert "serving http://127.0.0.1:" in line, line
        self.url = line.split("serving ")[1].split()[0]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _click(driver: Any, selector: str) -> None:
    depth = driver.find_element("tag name", "body").get_attribute("data-depth")
    _css(driver, selector)[0].click()
    deadline = time.monotonic() + 10
    while driver.find_element("tag name", "body").get_attribute("data-depth") == depth:
        assert time.monotonic() < deadline, f"no step after clicking {selector}"
        time.sleep(0.02)


def _loaded(driver: Any, url: str) -> None:
    driver.get(url)
    deadline = time.monotonic() + 10
    while not _css(driver, "#moves button.move"):
        assert time.monotonic() < deadline, "the explorer shows no move"
        time.sleep(0.02)


def test_explore_p1_reaches_a_message_in_flight(browser: Any) -> None:
    server = _Explore(P1)
    try:
        _loaded(browser, server.url)
        assert browser.find_element("id", "depth").text == "0"
        _click(browser, '#moves button.move[data-action="fault"]')
        _click(browser, '#moves button.move[data-action="start_unmap"]')
        assert int(browser.find_element("id", "in-flight").text) > 0
        assert _css(browser, "#chart svg.msc g.arrow.in-flight")
        _click(browser, "#back")
        assert browser.find_element("id", "depth").text == "1"
        _click(browser, '#moves button.move[data-action="start_unmap"]')
        _shot(browser, "explore")
    finally:
        server.close()


def test_explore_a_seeded_bug_to_its_violation_by_clicking(browser: Any) -> None:
    server = _Explore(BUG1, "-D", "NODES=2")
    try:
        _loaded(browser, server.url)
        _css(browser, "#counterexample")[0].click()
        deadline = time.monotonic() + 30
        while not _css(browser, "#moves button.move.planned"):
            assert time.monotonic() < deadline, "no counterexample loaded"
            time.sleep(0.05)
        for _ in range(20):
            if "shown" in (_css(browser, "#violation")[0].get_attribute("class") or ""):
                break
            _click(browser, "#moves button.move.planned")
        assert "unmap_complete" in browser.find_element("id", "violation-text").text
        broken = _css(browser, '#invariants li[data-holds="false"]')
        assert "unmap_complete" in [li.get_attribute("data-name") for li in broken]
        assert _css(browser, '#invariants li[data-holds="true"]')  # the others are shown too
        _shot(browser, "explore-violation")
        _click(browser, "#reset")  # and again, choosing each action by hand
        for label in ("fault(n=0, v=0)", "start_unmap(n=0, v=0)", "fault(n=0, v=0)",
                      "recv_req(m=1)", "recv_ack(n=0)"):
            assert "shown" not in (_css(browser, "#violation")[0].get_attribute("class") or "")
            _click(browser, f'#moves button.move[data-label="{label}"]')
        assert "unmap_complete" in browser.find_element("id", "violation-text").text
    finally:
        server.close()
