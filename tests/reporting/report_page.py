"""Helpers for opening the report in Chromium: waiting until BokehJS has drawn, the
JavaScript that reads its views, and a warehouse of the real samples' history."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from extractors.registry import get_source
from pipeline.history import ImportResult, import_snapshots
from tests.reporting.chromium import Browser
from warehouse.db import connection

HISTORY = "litellm_history/litellm_daily_2023-11-03_2026-11-17.tar.gz"
EXTRA = {  # source -> (sample file, the dated name import-snapshots needs)
    "genai-prices": ("genai-prices_data_2026-08-21.json.gz", "2026-08-21.json.gz"),
    "openrouter": ("openrouter_models_2026-08-01.json.gz", "2026-08-01.json.gz"),
}
# JavaScript helpers: BokehJS views of the page, walked from its root views.
VIEWS = """
window.thesisViews = function* () {
  function* walk(v) { yield v; for (const k of (v.child_views ?? [])) yield* walk(k); }
  for (const root of Object.values(Bokeh.index)) yield* walk(root);
};
window.thesisFigures = (chart) => [...thesisViews()].filter(
  (v) => v.renderer_views && v.model.tags[0] === "thesis-chart" && v.model.tags[1] === chart);
window.thesisMarks = (chart) => thesisFigures(chart).map((f) => [...f.renderer_views.values()]
  .filter((r) => r.glyph && r.model.visible)
  .reduce((n, r) => n + r.glyph.data_size, 0));
window.thesisInView = (chart) => thesisFigures(chart).reduce((n, f) => {
  const [a, b] = [f.model.x_range.start, f.model.x_range.end];
  for (const r of f.renderer_views.values()) {
    if (!r.glyph || !r.model.visible) continue;
    const g = r.model.glyph, field = (g.x ?? g.x0)?.field;
    if (!field) continue;
    const xs = r.model.data_source.get_array(field);
    n += xs.filter((x) => x >= a && x <= b).length;
  }
  return n;
}, 0);
window.thesisText = (pattern) => {
  const found = [];
  (function visit(root) {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (pattern.test(String(el.className)) && el.textContent.trim()) {
        found.push(el.textContent.trim());
      }
    }
  })(document);
  return found;
};
"""
READY = """new Promise((resolve, reject) => {
  const started = Date.now();
  (function poll() {
    const charts = document.querySelectorAll(".chart").length;
    if (window.Bokeh && Bokeh.documents.length && Object.keys(Bokeh.index).length > charts) {
      resolve(true);
    } else if (Date.now() - started > 45000) {
      reject(new Error("the charts did not render within 45 s"));
    } else {
      setTimeout(poll, 50);
    }
  })();
})"""


def opened(driver: Browser, index: Path, width: int = 1280, height: int = 900) -> None:
    driver.open(index.resolve().as_uri(), width=width, height=height)
    driver.evaluate(READY)
    driver.evaluate(VIEWS)


def import_litellm_history(samples: Path, work: Path) -> tuple[Path, ImportResult]:
    """A warehouse `work`/thesis.duckdb of the samples' 363 daily LiteLLM files (extracted
    into `work`/litellm), and what the import said of each file."""
    history = work / "litellm"
    history.mkdir()
    with tarfile.open(samples / HISTORY) as tar:
        tar.extractall(history, filter="data")
    db = work / "thesis.duckdb"
    with connection(db) as con:
        result = import_snapshots(con, get_source("litellm"), history)
    return db, result


def add_other_sources(samples: Path, work: Path, db: Path) -> Path:
    """`db` with one genai-prices and one OpenRouter file of the samples imported too."""
    with connection(db) as con:
        for source, (sample, name) in EXTRA.items():
            (work / source).mkdir()
            shutil.copy(samples / sample, work / source / name)
            import_snapshots(con, get_source(source), work / source)
    return db


def import_real_history(samples: Path, work: Path) -> Path:
    """A warehouse of the samples' 363 daily LiteLLM files, genai-prices and OpenRouter."""
    db, _ = import_litellm_history(samples, work)
    return add_other_sources(samples, work, db)
