"""Load and validate the TOML catalogs (hardware, models, memory tiers).

The only I/O in `model/`: reading the repo's own data files and any user files passed
with --hardware-file / --model-file. Every problem raises ConfigError naming the file,
the entry and the field, and saying how to fix it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from core.errors import ConfigError
from model.catalog.entry import Entry
from model.catalog.specs import (
    ATTENTION_KINDS,
    CalibrationPoint,
    Hardware,
    MemoryTier,
    ModelSpec,
)
from model.roofline.precision import BYTES_PER_ELEMENT, COMPUTE_PRECISIONS

DATA_DIR = Path(__file__).resolve().parent
HARDWARE_FILE = DATA_DIR / "hardware.toml"
MODELS_FILE = DATA_DIR / "models.toml"
MEMORY_TIERS_FILE = DATA_DIR / "memory_tiers.toml"
CALIBRATION_FILE = DATA_DIR / "calibration.toml"

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")

T = TypeVar("T")

HARDWARE_FIELDS = (
    "name",
    *(f"{p}_dense_flops_per_s" for p in COMPUTE_PRECISIONS),
    "hbm_capacity_bytes",
    "hbm_bandwidth_bytes_per_s",
    "scale_up_domain_chips",
    "scale_up_bandwidth_bytes_per_s_per_chip",
    "scale_out_bandwidth_bytes_per_s_per_chip",
    "rental_usd_per_chip_hour",
    "rental_price_date",
    "source_url",
    "confidence",
    "preliminary",
    "rental_fallback",
)
MODEL_FIELDS = (
    "name",
    "layers",
    "d_model",
    "heads",
    "kv_heads",
    "head_dim",
    "attention",
    "mla_latent_dim",
    "mla_rope_dim",
    "sliding_window_layers",
    "sliding_window_tokens",
    "experts_routed",
    "experts_active",
    "experts_shared",
    "dense_layers",
    "expert_groups",
    "expert_groups_per_token",
    "expert_weights",
    "sparse_attention_tokens",
    "indexer_heads",
    "indexer_head_dim",
    "global_kv_heads",
    "global_head_dim",
    "global_kv_shared",
    "total_params",
    "active_params",
    "context_tokens",
    "aliases",
    "source_url",
    "confidence",
)
TIER_FIELDS = (
    "name",
    "rank",
    "usd_per_gb_hour",
    "derivation",
    "source_url",
    "confidence",
    "reload_bandwidth_bytes_per_s_per_chip",
    "reload_path",
)

CALIBRATION_FIELDS = (
    "description",
    "model",
    "hardware",
    "chips",
    "weights",
    "compute",
    "kv_dtype",
    "phase",
    "batch",
    "prompt_tokens",
    "context_tokens",
    "generated_tokens",
    "measured_s",
    "output_tokens_per_s",
    "tokens_per_s_per_chip",
    "tokens_per_s_per_sequence",
    "source_url",
    "source_detail",
    "note",
)
PHASES = ("prefill", "decode", "end-to-end")


def read_toml(path: Path) -> dict[str, object]:
    """Parse one catalog file; a missing or malformed file is a ConfigError."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: catalog file not found; check the path") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); fix the syntax") from None


def entries(path: Path, known: tuple[str, ...]) -> Iterable[Entry]:
    for item_id, table in read_toml(path).items():
        if not isinstance(table, Mapping):
            raise ConfigError(
                f"{path}: entry '{item_id}' is not a table; write it as [{item_id}] "
                "followed by its fields"
            )
        if not ID_PATTERN.match(item_id):
            raise ConfigError(
                f"{path}: entry '{item_id}': id must be lower-kebab-case "
                "(letters, digits, '-' and '.'), e.g. 'h100-sxm' or 'llama-3.1-70b'"
            )
        entry = Entry(path, item_id, dict(table))
        entry.reject_unknown(known)
        yield entry


def parse_hardware(entry: Entry) -> Hardware:
    flops = {
        p: entry.number(f"{p}_dense_flops_per_s", required=False)
        for p in COMPUTE_PRECISIONS
        if f"{p}_dense_flops_per_s" in entry.table
    }
    if not flops:
        entry.fail(
            "bf16_dense_flops_per_s",
            "no dense FLOP/s figure at any precision",
            "give at least one of "
            + ", ".join(f"{p}_dense_flops_per_s" for p in COMPUTE_PRECISIONS),
        )
    price = entry.table.get("rental_usd_per_chip_hour")
    return Hardware(
        id=entry.id,
        name=entry.text("name"),
        dense_flops_per_s=flops,
        hbm_capacity_bytes=entry.number("hbm_capacity_bytes"),
        hbm_bandwidth_bytes_per_s=entry.number("hbm_bandwidth_bytes_per_s"),
        scale_up_domain_chips=entry.integer("scale_up_domain_chips"),
        scale_up_bandwidth_bytes_per_s_per_chip=entry.number(
            "scale_up_bandwidth_bytes_per_s_per_chip"
        ),
        scale_out_bandwidth_bytes_per_s_per_chip=entry.number(
            "scale_out_bandwidth_bytes_per_s_per_chip"
        ),
        rental_usd_per_chip_hour=None if price is None else _money(entry, price),
        rental_price_date=_date(entry) if price is not None else None,
        source_url=entry.text("source_url"),
        confidence=entry.text("confidence"),
        preliminary=entry.flag("preliminary"),
        rental_fallback=_optional_text(entry, "rental_fallback"),
    )


def _optional_text(entry: Entry, field: str) -> str:
    return entry.text(field) if field in entry.table else ""


def _money(entry: Entry, value: object) -> Decimal:
    field = "rental_usd_per_chip_hour"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        entry.fail(field, f"{value!r} is not a price", 'write it as a quoted decimal, e.g. "2.50"')
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        entry.fail(field, f"{value!r} is not a number", 'write it as a quoted decimal, e.g. "2.50"')
    if not amount.is_finite() or amount <= 0:
        entry.fail(field, f"{value!r} must be a positive amount", 'e.g. "2.50"')
    return amount


def _date(entry: Entry) -> date:
    value = entry.table.get("rental_price_date")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return entry.fail(
        "rental_price_date",
        "missing or not a date" if value is None else f"{value!r} is not a date",
        "a rental price needs the date it was seen, e.g. rental_price_date = 2025-10-01",
    )


def parse_model(entry: Entry) -> ModelSpec:
    attention = entry.text("attention")
    if attention not in ATTENTION_KINDS:
        entry.fail(
            "attention",
            f"'{attention}' is not an attention kind",
            "use one of: " + ", ".join(ATTENTION_KINDS),
        )
    spec = ModelSpec(
        id=entry.id,
        name=entry.text("name"),
        layers=entry.integer("layers"),
        d_model=entry.integer("d_model"),
        heads=entry.integer("heads"),
        kv_heads=entry.integer("kv_heads"),
        head_dim=entry.integer("head_dim"),
        attention=attention,
        mla_latent_dim=entry.integer("mla_latent_dim", required=attention == "mla"),
        mla_rope_dim=entry.integer("mla_rope_dim", required=False, minimum=0),
        sliding_window_layers=entry.integer("sliding_window_layers", required=False, minimum=0),
        sliding_window_tokens=entry.integer("sliding_window_tokens", required=False, minimum=0),
        experts_routed=entry.integer("experts_routed", required=False, minimum=0),
        experts_active=entry.integer("experts_active", required=False, minimum=0),
        experts_shared=entry.integer("experts_shared", required=False, minimum=0),
        dense_layers=_count(entry, "dense_layers"),
        expert_groups=_count(entry, "expert_groups"),
        expert_groups_per_token=_count(entry, "expert_groups_per_token"),
        expert_weights=_precision(entry, "expert_weights"),
        sparse_attention_tokens=_count(entry, "sparse_attention_tokens"),
        indexer_heads=_count(entry, "indexer_heads"),
        indexer_head_dim=_count(entry, "indexer_head_dim"),
        global_kv_heads=_count(entry, "global_kv_heads"),
        global_head_dim=_count(entry, "global_head_dim"),
        global_kv_shared=entry.flag("global_kv_shared"),
        total_params=entry.number("total_params"),
        active_params=entry.number("active_params"),
        context_tokens=entry.integer("context_tokens"),
        aliases=entry.strings("aliases"),
        source_url=entry.text("source_url"),
        confidence=entry.text("confidence"),
    )
    _check_model(entry, spec)
    return spec


def _count(entry: Entry, field: str) -> int:
    return entry.integer(field, required=False, minimum=0)


def _precision(entry: Entry, field: str) -> str:
    value = _optional_text(entry, field)
    if value and value not in BYTES_PER_ELEMENT:
        entry.fail(
            field,
            f"'{value}' is not a number format",
            "use one of: " + ", ".join(BYTES_PER_ELEMENT),
        )
    return value


def _check_model(entry: Entry, m: ModelSpec) -> None:
    """Cross-field rules a single field's type check cannot see."""
    _check_moe_extras(entry, m)
    _check_attention_extras(entry, m)
    if m.kv_heads > m.heads:
        entry.fail("kv_heads", f"{m.kv_heads} exceeds heads ({m.heads})", "kv_heads <= heads")
    if m.attention == "mqa" and m.kv_heads != 1:
        entry.fail("kv_heads", "multi-query attention has exactly one KV head", "set kv_heads = 1")
    if m.sliding_window_layers > m.layers:
        entry.fail(
            "sliding_window_layers",
            f"{m.sliding_window_layers} exceeds layers",
            f"at most {m.layers}",
        )
    if m.sliding_window_layers and not m.sliding_window_tokens:
        entry.fail(
            "sliding_window_tokens",
            "sliding-window layers need a window length",
            "set sliding_window_tokens, e.g. 1024",
        )
    if m.active_params > m.total_params:
        entry.fail("active_params", "exceeds total_params", "active_params <= total_params")
    if m.is_moe and not 0 < m.experts_active < m.experts_routed:
        entry.fail(
            "experts_active",
            f"{m.experts_active} with {m.experts_routed} routed experts",
            "0 < experts_active < experts_routed",
        )
    if m.is_moe and m.active_params >= m.total_params:
        entry.fail(
            "active_params",
            "a mixture of experts must read fewer parameters than it has",
            "active_params < total_params",
        )
    if not m.is_moe and m.experts_active:
        entry.fail("experts_active", "set without experts_routed", "give experts_routed too")


def _check_moe_extras(entry: Entry, m: ModelSpec) -> None:
    if m.dense_layers >= m.layers and m.is_moe:
        entry.fail("dense_layers", f"{m.dense_layers} leaves no MoE layer", f"below {m.layers}")
    if m.expert_groups_per_token > m.expert_groups:
        entry.fail(
            "expert_groups_per_token",
            f"{m.expert_groups_per_token} exceeds expert_groups ({m.expert_groups})",
            "a token uses at most all groups",
        )
    if m.expert_groups and m.is_moe and m.experts_routed % m.expert_groups:
        entry.fail(
            "expert_groups",
            f"{m.experts_routed} routed experts do not split into {m.expert_groups} groups",
            "use a divisor of experts_routed",
        )


def _check_attention_extras(entry: Entry, m: ModelSpec) -> None:
    if m.sparse_attention and not (m.indexer_heads and m.indexer_head_dim):
        entry.fail(
            "indexer_heads",
            "sparse attention needs its indexer's heads and head size",
            "set indexer_heads and indexer_head_dim (DeepSeek-V3.2: 64 and 128)",
        )
    if bool(m.global_kv_heads) != bool(m.global_head_dim):
        entry.fail(
            "global_head_dim",
            "full-attention layers' KV geometry needs both heads and head size",
            "set global_kv_heads and global_head_dim together",
        )


def parse_tier(entry: Entry) -> MemoryTier:
    raw = entry.table.get("usd_per_gb_hour")
    try:
        price = Decimal(str(raw))
    except InvalidOperation:
        price = Decimal("NaN")
    if raw is None or isinstance(raw, bool) or not price.is_finite() or price <= 0:
        entry.fail(
            "usd_per_gb_hour",
            f"{raw!r} is not a positive amount",
            'write a quoted decimal, e.g. "0.0042"',
        )
    return MemoryTier(
        id=entry.id,
        name=entry.text("name"),
        rank=entry.integer("rank"),
        usd_per_gb_hour=price,
        derivation=entry.text("derivation"),
        source_url=entry.text("source_url"),
        confidence=entry.text("confidence"),
        reload_bandwidth_bytes_per_s_per_chip=entry.number(
            "reload_bandwidth_bytes_per_s_per_chip", required=entry.id != "hbm"
        ),
        reload_path=entry.text("reload_path"),
    )


def parse_calibration(entry: Entry) -> CalibrationPoint:
    phase = entry.text("phase")
    if phase not in PHASES:
        entry.fail("phase", f"'{phase}' is not a phase", "use one of: " + ", ".join(PHASES))
    chips = entry.integer("chips")
    batch, measured = _measurement(entry, phase, chips)
    return CalibrationPoint(
        id=entry.id,
        description=entry.text("description"),
        model=entry.text("model"),
        hardware=entry.text("hardware"),
        chips=chips,
        weights=_precision(entry, "weights") or "bf16",
        compute=entry.text("compute"),
        kv_dtype=_precision(entry, "kv_dtype") or "bf16",
        phase=phase,
        batch=batch,
        prompt_tokens=entry.integer("prompt_tokens", required=phase != "decode"),
        context_tokens=entry.integer("context_tokens", required=phase == "decode"),
        generated_tokens=entry.integer("generated_tokens", required=phase != "prefill"),
        measured_s=measured,
        source_url=entry.text("source_url"),
        source_detail=entry.text("source_detail"),
        note=_optional_text(entry, "note"),
    )


def _measurement(entry: Entry, phase: str, chips: int) -> tuple[float, float]:
    """(batch, measured seconds), from whichever one measured figure the entry gives."""
    forms = [
        f
        for f in ("measured_s", "output_tokens_per_s", "tokens_per_s_per_chip")
        if f in entry.table
    ]
    if len(forms) != 1:
        entry.fail(
            "measured_s",
            f"gives {len(forms)} measured figures",
            "give exactly one of measured_s, output_tokens_per_s, "
            "tokens_per_s_per_chip (with tokens_per_s_per_sequence)",
        )
    if forms[0] == "tokens_per_s_per_chip":
        per_chip = entry.number("tokens_per_s_per_chip")
        per_sequence = entry.number("tokens_per_s_per_sequence")
        steps = entry.integer("generated_tokens")
        return chips * per_chip / per_sequence, steps / per_sequence
    batch = entry.number("batch")
    if forms[0] == "output_tokens_per_s":
        return batch, batch * entry.integer("generated_tokens") / entry.number(
            "output_tokens_per_s"
        )
    return batch, entry.number("measured_s")


def _load(
    paths: Iterable[Path], known: tuple[str, ...], parse: Callable[[Entry], T]
) -> dict[str, T]:
    """Later files replace earlier entries with the same id (user files override)."""
    items: dict[str, T] = {}
    for path in paths:
        for entry in entries(path, known):
            items[entry.id] = parse(entry)
    return items


@dataclass(frozen=True)
class Catalog:
    hardware: dict[str, Hardware]
    models: dict[str, ModelSpec]
    memory_tiers: dict[str, MemoryTier]
    calibration: dict[str, CalibrationPoint]

    def get_hardware(self, item_id: str) -> Hardware:
        return _get(self.hardware, item_id, "hardware", "--hardware-file")

    def get_model(self, item_id: str) -> ModelSpec:
        return _get(self.models, item_id, "model", "--model-file")


def _get(items: Mapping[str, T], item_id: str, kind: str, option: str) -> T:
    try:
        return items[item_id]
    except KeyError:
        known = ", ".join(sorted(items))
        raise ConfigError(
            f"unknown {kind} '{item_id}'; known: {known} (add your own with {option})"
        ) from None


def _with_fallback_prices(hardware: dict[str, Hardware]) -> dict[str, Hardware]:
    """A chip without a public price takes the price of the chip its entry names, openly."""
    out = dict(hardware)
    for hw in hardware.values():
        if not hw.rental_fallback:
            continue
        where = f"hardware entry '{hw.id}', field 'rental_fallback'"
        if hw.rental_usd_per_chip_hour is not None:
            raise ConfigError(f"{where}: the chip has its own price; fix: remove one of the two")
        other = hardware.get(hw.rental_fallback)
        if other is None or other.rental_usd_per_chip_hour is None:
            raise ConfigError(
                f"{where}: '{hw.rental_fallback}' is not a priced chip; fix: name one that has "
                "rental_usd_per_chip_hour"
            )
        out[hw.id] = replace(
            hw,
            rental_usd_per_chip_hour=other.rental_usd_per_chip_hour,
            rental_price_date=other.rental_price_date,
        )
    return out


def load_catalog(hardware_files: Iterable[Path] = (), model_files: Iterable[Path] = ()) -> Catalog:
    """The shipped catalogs, extended (and overridden by id) by the user's files."""
    return Catalog(
        hardware=_with_fallback_prices(
            _load([HARDWARE_FILE, *hardware_files], HARDWARE_FIELDS, parse_hardware)
        ),
        models=_load([MODELS_FILE, *model_files], MODEL_FIELDS, parse_model),
        memory_tiers=_load([MEMORY_TIERS_FILE], TIER_FIELDS, parse_tier),
        calibration=_load([CALIBRATION_FILE], CALIBRATION_FIELDS, parse_calibration),
    )
