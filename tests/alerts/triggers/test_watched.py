"""The watched-model kinds over real configs, the shipped domain catalog and the shipped
disclosures file: each fires on the real cases named here, with its arithmetic."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from alerts.theses.load import parse_theses
from alerts.triggers.inputs import ObservedArchitecture, WatchedData
from alerts.triggers.reference import shipped_head
from alerts.triggers.registry import KINDS
from alerts.triggers.speed import SpeedPerDollar
from core.errors import ConfigError
from core.rows import ArchitectureRow
from extractors.watched.architecture import normalise
from model.catalog.disclosures import load_disclosures
from model.catalog.domains import hbm_bytes_per_chip, load_domains
from model.catalog.load import load_catalog
from tests.paths import SAMPLES

CONFIGS = SAMPLES / "model_configs"
TODAY = date(2026, 11, 30)


def _config(repo: str) -> ArchitectureRow:
    path = CONFIGS / f"hf_config_{repo.replace('/', '__')}.json"
    return normalise("model-configs", repo, json.loads(path.read_text()))


def data(*repos: str, seen: date = date(2026, 3, 1)) -> WatchedData:
    """`repos` seen new on `seen`, after a baseline of Mixtral's config a day earlier."""
    domains = load_domains()
    hbm = {h.id: h.hbm_capacity_bytes for h in load_catalog().hardware.values()}
    baseline = ObservedArchitecture(
        seen - timedelta(days=1), "new", _config("mistralai/Mixtral-8x22B-v0.1")
    )
    archs = [baseline, *(ObservedArchitecture(seen, "new", _config(repo)) for repo in repos)]
    return WatchedData(
        architectures=archs,
        domains=domains,
        hbm_bytes_per_chip={d.id: hbm_bytes_per_chip(d, hbm) for d in domains},
        disclosures=load_disclosures(),
        speed_per_dollar={},
        today=TODAY,
    )


def example(kind: str, params: str = "") -> object:
    text = KINDS[kind].example
    if params:
        text = text[: text.index("[trigger.params]")] + "[trigger.params]\n" + params
    (trigger,) = parse_theses(shipped_head() + "\n" + text, Path("example.toml")).triggers
    return trigger


@pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")
def test_expert_layout_sets_each_moe_config_against_the_largest_rack_and_shows_the_arithmetic() -> (
    None
):
    trigger = example("expert_layout")
    seen = data("deepseek-ai/DeepSeek-V3", "Qwen/Qwen3-235B-A22B", "openai/gpt-oss-120b")
    alerts = trigger.on_watched(seen)  # type: ignore[attr-defined]
    # gpt-oss is not among the example's models; 256 and 128 experts do not divide by 72.
    assert [(a.subject, a.old_value, a.new_value) for a in alerts] == [
        (
            "deepseek-ai/DeepSeek-V3: 256 routed experts on NVIDIA GB200 NVL72 (72 chips):"
            " experts do not divide evenly",
            72,
            256,
        ),
        (
            "Qwen/Qwen3-235B-A22B: 128 routed experts on NVIDIA GB200 NVL72 (72 chips):"
            " experts do not divide evenly",
            72,
            128,
        ),
    ]
    assert alerts[0].explanation.startswith(
        "256 routed experts over NVIDIA GB200 NVL72's 72 chips = 3.556 per chip"
        " (does not divide evenly); weights 653.9B expert params at fp8 + 17.1B others at fp8"
        " = 671 GB fit in 72 x 186 GB"
    )
    assert (alerts[0].provider, alerts[0].model) == ("deepseek-ai", "DeepSeek-V3")


@pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")
def test_the_configs_of_the_first_day_are_the_baseline_and_do_not_fire() -> None:
    # Mixtral's 8 experts do not divide over 72 chips either, but it is the baseline.
    seen = data()
    assert [a.arch.source_model_key for a in seen.architectures] == ["mistralai/Mixtral-8x22B-v0.1"]
    assert example("expert_layout", 'models = ["*"]\n').on_watched(seen) == []  # type: ignore[attr-defined]


@pytest.mark.skipif(not CONFIGS.is_dir(), reason=f"{CONFIGS} absent")
def test_expert_layout_on_eight_h100s_fires_on_weights_that_do_not_fit() -> None:
    trigger = example("expert_layout", 'domains = ["hgx-h100-8"]\n')
    (alert,) = trigger.on_watched(data("deepseek-ai/DeepSeek-V3"))  # type: ignore[attr-defined]
    assert alert.subject.endswith("(8 chips): weights do not fit")
    assert "671 GB do not fit in 8 x 80 GB = 640 GB of HBM" in alert.explanation


def test_a_domain_id_not_in_the_catalog_is_refused_with_the_ids() -> None:
    with pytest.raises(ConfigError, match=r"unknown value.*nvl-9000.*use: hgx-h100-8"):
        example("expert_layout", 'domains = ["nvl-9000"]\n')


def test_the_largest_switched_domain_grows_from_eight_gpus_to_nvl72_when_gb200_ships() -> None:
    alerts = example("scale_up_domain").on_watched(data())  # type: ignore[attr-defined]
    assert [(a.date, a.subject, a.old_value, a.new_value) for a in alerts] == [
        (
            date(2024, 10, 1),
            "largest switched scale-up domain: NVIDIA GB200 NVL72 (72 chips)",
            8,
            72,
        )
    ]


def test_each_aggregate_disclosure_gives_its_rate_and_implied_pretraining_tokens() -> None:
    alerts = example("aggregate_disclosure").on_watched(data())  # type: ignore[attr-defined]
    google = [a for a in alerts if "980" in a.explanation]
    (july,) = google
    assert july.date == date(2025, 7, 23)
    assert july.subject == (
        "Alphabet (Sundar Pichai, Q2 2025 earnings call): 9.8e+14 tokens per month"
        " = 3.73e+08 tokens/s; 60 days of it imply 6.44e+14 pre-training tokens"
    )
    # the previous all-surfaces figure, May's 480T a month
    assert (july.old_value, july.new_value) == (Decimal("1.82523E+8"), Decimal("3.72652E+8"))
    assert len(alerts) == len([d for d in load_disclosures() if d.tokens_per_second])


def test_pipelined_decode_stays_quiet_on_deepseeks_layout_and_fires_on_disclosed_stages() -> None:
    trigger = example("pipelined_decode")
    assert trigger.on_watched(data()) == []  # type: ignore[attr-defined]
    staged = next(d for d in load_disclosures() if d.metric == "ep_degree")
    stages = dataclasses.replace(staged, id="pp", metric="pp_degree", value=4.0, quote="4")
    with_stages = dataclasses.replace(data(), disclosures=[*load_disclosures(), stages])
    (alert,) = trigger.on_watched(with_stages)  # type: ignore[attr-defined]
    assert alert.new_value == 4 and "decode in 4 pipeline stages" in alert.subject


def test_speed_per_dollar_fires_once_when_it_first_gains_the_fraction_and_rearms() -> None:
    trigger = example("speed_per_dollar")
    assert isinstance(trigger, SpeedPerDollar)
    d = date.fromordinal
    start = date(2026, 1, 1).toordinal()
    series = [
        (d(start), Decimal(100)),
        (d(start + 20), Decimal(110)),
        (d(start + 30), Decimal(124)),  # +24% on 30 days back: not yet
        (d(start + 31), Decimal(126)),  # +26%: fires
        (d(start + 32), Decimal(130)),  # still up: quiet
        (d(start + 60), Decimal(130)),  # vs day 30 (124): cleared, re-armed
        (d(start + 90), Decimal(170)),  # +31% on day 60: fires again
    ]
    alerts = trigger.evaluate("deepseek/deepseek-v3.2", series)
    assert [(a.date, a.old_value, a.new_value) for a in alerts] == [
        (d(start + 31), Decimal(100), Decimal(126)),
        (d(start + 90), Decimal(130), Decimal(170)),
    ]
    assert (
        alerts[0].subject
        == "deepseek/deepseek-v3.2: throughput per output dollar up 26% in 30 days;"
        " price-implied batch not known"
    )
