"""The report as a browser shows it: headless Chromium (Debian's `chromium`) loads the page,
every chart image decodes, and a screenshot has charts in it.

Skipped, saying so, when chromium is not installed (`apt-get install -y chromium`).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from pipeline.report import build_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless test needs Debian's chromium: apt-get install -y chromium"
)
NOW = datetime(2024, 10, 6, 8, 30, tzinfo=UTC)
FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root in CI containers
    "--disable-gpu",
    "--disable-background-networking",  # no traffic off this machine
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--hide-scrollbars",
)


class Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.headings = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))
        self.headings += tag == "h2"


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def rendered(tmp_path: Path, index: Path) -> Images:
    """The DOM after the page's load event, as Chromium serialises it."""
    parser = Images()
    parser.feed(chromium(tmp_path, "--dump-dom", index.resolve().as_uri()))
    return parser


def test_every_chart_loads_in_the_browser(full: Path, tmp_path: Path) -> None:
    report = build_report(full, tmp_path / "report", now=NOW)
    dom = rendered(tmp_path, report.index)
    assert dom.headings == len(report.sections) == 6
    assert [img["src"] for img in dom.images] == [s.image for s in report.sections]
    assert all(img.get("data-loaded") == "1" for img in dom.images), dom.images


def test_a_missing_chart_file_is_caught(full: Path, tmp_path: Path) -> None:
    report = build_report(full, tmp_path / "report", now=NOW)
    (report.index.parent / "roofline.png").unlink()
    loaded = {img["src"]: img.get("data-loaded") for img in rendered(tmp_path, report.index).images}
    assert loaded["roofline.png"] == "error"
    assert loaded["spreads.png"] == "1"


def test_screenshot_shows_charts_not_a_blank_page(full: Path, tmp_path: Path) -> None:
    report = build_report(full, tmp_path / "report", now=NOW)
    shot = tmp_path / "shot.png"
    chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", report.index.resolve().as_uri()
    )
    pixels = imread(str(shot))[:, :, :3]
    assert pixels.shape[:2] == (1600, 1200)
    below_header = pixels[200:]
    colours = np.unique((below_header * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 200  # anti-aliased lines, text and fills of charts
    # The price chart's first line colour (matplotlib's C0, #1f77b4) is on screen.
    c0 = np.array([0x1F, 0x77, 0xB4]) / 255
    assert (np.abs(below_header - c0).max(axis=2) < 0.06).sum() > 200
