"""The first screen of the report as docs/report.png, taken in headless Chromium.

    uv run python -m tests.reporting.screenshot [--db WAREHOUSE] [--out docs/report.png]

Without --db it builds a warehouse from ../shared/samples (the real 363-day LiteLLM
history, one genai-prices and one OpenRouter file), as docs/report.png shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipeline.report import build_report
from tests.paths import ROOT, SAMPLES
from tests.reporting.chromium import CHROMIUM, SKIP_REASON, browser
from tests.reporting.report_page import import_real_history, opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="warehouse to report (default: built from the samples)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit(SKIP_REASON)
    with tempfile.TemporaryDirectory(prefix="report-shot-") as raw:
        work = Path(raw)
        db = args.db or import_real_history(SAMPLES, work)
        report = build_report(db, work / "report")
        with browser(work / "profile") as driver:
            opened(driver, report.index)
            args.out.write_bytes(driver.screenshot())
    print(f"{args.out}: first screen of {report.index.name} from {db}")


if __name__ == "__main__":
    main()
