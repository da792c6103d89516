"""The spread band comes from the theses file when it states one, else 3x..8x."""

from __future__ import annotations

from pathlib import Path

from reporting.band import spread_band


def test_shipped_theses_file_sets_three_to_eight() -> None:
    band = spread_band()
    assert (band.low, band.high) == (3.0, 8.0)
    assert band.origin == "theses.toml, trigger frontier-spread-band"


def test_first_spread_trigger_of_a_user_file_wins(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[trigger]]\nid = "ceil"\nkind = "context_step_up"\n'
        '[[trigger]]\nid = "wide"\nkind = "spread_change"\n'
        "[trigger.params]\nband_low = 2.5\nband_high = 10\n",
        encoding="utf-8",
    )
    band = spread_band(path)
    assert (band.low, band.high, band.origin) == (2.5, 10.0, "mine.toml, trigger wide")


def test_missing_file_falls_back_and_says_so(tmp_path: Path) -> None:
    band = spread_band(tmp_path / "absent.toml")
    assert (band.low, band.high) == (3.0, 8.0)
    assert "theses file unreadable" in band.origin


def test_malformed_or_inverted_band_falls_back(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[trigger]\n", encoding="utf-8")
    assert (spread_band(broken).low, spread_band(broken).high) == (3.0, 8.0)
    inverted = tmp_path / "inverted.toml"
    inverted.write_text(
        '[[trigger]]\nkind = "spread_change"\n[trigger.params]\nband_low = 9\nband_high = 3\n',
        encoding="utf-8",
    )
    assert spread_band(inverted).origin == "default ~5x band (3x to 8x)"
