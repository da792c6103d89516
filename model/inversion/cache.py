"""Prompt-cache prices as a ladder of $/GB-hour, against what each memory tier costs.

Every cache price is turned into USD per GB-hour of the stand-in's KV (a cached prompt
of the reference length) and set against HBM (the stand-in's chip rental over its HBM),
host DRAM and flash from the memory-tier catalog:

- storage (Gemini's per Mtok-hour price): directly;
- the 5-minute write premium over input: what keeping the KV 5 minutes costs;
- the 1-hour over the 5-minute write (Anthropic's ladder): 55 more minutes of storage;
- the read price: a hit renews the cache's 5-minute lifetime, so it pays for up to that.

Each is labelled with the fastest tier it pays for. A read must also pay to bring the KV
back: its reload from each tier (over HBM, PCIe or the NIC) is set against the read
price. A premium is never negative: prices that would make one (a write below input, a
1-hour write below the 5-minute one) are labelled inconsistent and carry no value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from model.catalog.specs import MemoryTier
from model.inversion.cost_ratio import prefill_cost
from model.inversion.inference import Assumptions, Inference
from model.inversion.reading import Reading
from model.inversion.textfmt import money, num

GB = Decimal(1_000_000_000)
MTOK = Decimal(1_000_000)
FIVE_MINUTES_H = Decimal(5) / Decimal(60)
FIFTY_FIVE_MINUTES_H = Decimal(55) / Decimal(60)
INCONSISTENT = "inconsistent-prices"


@dataclass(frozen=True)
class Tier:
    id: str
    usd_per_gb_hour: Decimal
    reload_bytes_per_s: float


def tiers_for(r: Reading, tiers: Mapping[str, MemoryTier]) -> list[Tier]:
    """Fastest first; HBM priced and reloaded from the stand-in's own chip."""
    hw, eff = r.dep.hardware, r.dep.efficiency
    out = []
    for t in sorted(tiers.values(), key=lambda t: t.rank):
        cost, bw = t.usd_per_gb_hour, t.reload_bandwidth_bytes_per_s_per_chip
        if t.id == "hbm":
            bw = hw.hbm_bandwidth_bytes_per_s * eff.bandwidth_fraction
            if hw.rental_usd_per_chip_hour is not None:
                cost = hw.rental_usd_per_chip_hour / (Decimal(repr(hw.hbm_capacity_bytes)) / GB)
        out.append(Tier(t.id, cost, bw))
    return out


def non_negative_premium(price: Decimal, base: Decimal) -> Decimal | None:
    """price − base, or None when the prices would make it negative (never printed so)."""
    premium = price - base
    return premium if premium >= 0 else None


def pays_for(implied: Decimal, tiers: list[Tier]) -> str:
    """The fastest tier whose cost per GB-hour the implied price covers."""
    for tier in tiers:
        if tier.usd_per_gb_hour <= implied:
            return tier.id
    return f"below-{tiers[-1].id}-cost" if tiers else "no-tiers"


def cache_inferences(r: Reading, tiers: Mapping[str, MemoryTier]) -> list[Inference]:
    prices = r.prices
    ladder = tiers_for(r, tiers)
    kv = r.dep.kv.bytes_per_token_at(r.ref.prompt_tokens)
    gb_per_mtok = Decimal(repr(kv)) * MTOK / GB
    facts: Assumptions = {
        "kv_bytes_per_cached_token": kv,
        **{f"{t.id}_usd_per_gb_hour": round(float(t.usd_per_gb_hour), 6) for t in ladder},
    }
    rungs: list[tuple[str, Decimal | None, Decimal, str]] = []
    out: list[Inference] = []
    if prices.cache_storage_usd_per_mtok_hour is not None:
        rungs.append(
            (
                "implied_kv_storage_usd_per_gb_hour",
                prices.cache_storage_usd_per_mtok_hour,
                Decimal(1),
                f"storage at {money(prices.cache_storage_usd_per_mtok_hour)} USD per Mtok-hour",
            )
        )
    write = prices.cache_write_usd_per_mtok
    if write is not None:
        premium = non_negative_premium(write, prices.input_usd_per_mtok)
        out.append(_write_premium(r, write, premium, facts))
        rungs.append(
            (
                "cache_write_5m_usd_per_gb_hour",
                premium,
                FIVE_MINUTES_H,
                "the write premium over input, for 5 minutes of keeping",
            )
        )
        long = prices.cache_write_1h_usd_per_mtok
        if long is not None:
            rungs.append(
                (
                    "cache_write_1h_over_5m_usd_per_gb_hour",
                    non_negative_premium(long, write),
                    FIFTY_FIVE_MINUTES_H,
                    f"the 1-hour write ({money(long)}) over the 5-minute one ({money(write)}), "
                    "for 55 more minutes",
                )
            )
    read = prices.cache_read_usd_per_mtok
    if read is not None:
        rungs.append(
            (
                "cache_read_usd_per_gb_hour",
                read,
                FIVE_MINUTES_H,
                f"a hit at {money(read)} USD/Mtok renewing a 5-minute lifetime",
            )
        )
        out.extend(_read(r, read, ladder, kv, facts))
    for name, usd_per_mtok, hours, what in rungs:
        out.append(_rung(r, name, usd_per_mtok, hours, what, gb_per_mtok, ladder, facts))
    return out


def _rung(
    r: Reading,
    name: str,
    usd_per_mtok: Decimal | None,
    hours: Decimal,
    what: str,
    gb_per_mtok: Decimal,
    ladder: list[Tier],
    facts: Assumptions,
) -> Inference:
    if usd_per_mtok is None:
        text = f"No storage price can be read from {what}: the prices make it negative."
        return r.make(name, None, "usd_per_gb_hour", text, facts, INCONSISTENT)
    implied = usd_per_mtok / hours / gb_per_mtok
    label = pays_for(implied, ladder)
    listing = ", ".join(f"{t.id} {t.usd_per_gb_hour.quantize(Decimal('1e-6'))}" for t in ladder)
    text = (
        f"{what[0].upper()}{what[1:]}, with {num(float(gb_per_mtok * GB / MTOK))} bytes of KV "
        f"per token on {r.dep.model.id}, is {num(float(implied))} USD per GB-hour; tiers cost "
        f"{listing} (HBM: {r.dep.hardware.rental_note}). It pays for {label}"
        + (" or anything cheaper." if not label.startswith("below-") else ".")
    )
    return r.make(
        name,
        float(implied),
        "usd_per_gb_hour",
        text,
        {**facts, "hours": round(float(hours), 4)},
        label,
    )


def _write_premium(
    r: Reading, write: Decimal, premium: Decimal | None, facts: Assumptions
) -> Inference:
    base = r.prices.input_usd_per_mtok
    if premium is None:
        text = (
            f"Writing the cache ({money(write)} USD/Mtok) is priced below plain input "
            f"({money(base)}): a data error or a promotion, not a storage price."
        )
        return r.make("cache_write_premium", None, "fraction", text, facts, INCONSISTENT)
    share = float(premium / base)
    text = (
        f"Writing the cache costs {num(100 * share)}% more than plain input "
        f"({money(write)} vs {money(base)} USD/Mtok): the price of keeping the KV somewhere "
        "after the request ends."
    )
    return r.make("cache_write_premium", share, "fraction", text, facts)


def _read(
    r: Reading, read: Decimal, ladder: list[Tier], kv: float, facts: Assumptions
) -> list[Inference]:
    prices, prompt = r.prices, r.ref.prompt_tokens
    if read > prices.input_usd_per_mtok:
        text = (
            f"A cache hit ({money(read)} USD/Mtok) is priced above plain input "
            f"({money(prices.input_usd_per_mtok)}): a data error, not a discount."
        )
        return [
            r.make("cache_hit_prefill_cost_avoided", None, "fraction", text, facts, INCONSISTENT)
        ]
    discount = float(read / prices.input_usd_per_mtok)
    recompute = prefill_cost(r.dep, prompt)
    reload = {t.id: (kv / t.reload_bytes_per_s) / recompute for t in ladder}
    hbm = reload.get("hbm", 0.0)
    label = "consistent" if discount >= hbm else "discount deeper than physics"
    affordable = [t.id for t in ladder if reload[t.id] <= discount]
    slowest = affordable[-1] if affordable else "none"
    listing = ", ".join(f"{tid} {num(100 * share)}%" for tid, share in reload.items())
    text = (
        f"A cache hit costs {num(100 * discount)}% of input, so the price says a hit "
        f"avoids {num(100 * (1 - discount))}% of prefill cost. Bringing a cached token's KV "
        f"({num(kv)} bytes) back into HBM costs, as a share of recomputing it: {listing}; "
        f"the read price pays for a reload from {slowest}."
    )
    more: Assumptions = {**facts, **{f"reload_fraction_{k}": v for k, v in reload.items()}}
    return [
        r.make("cache_hit_prefill_cost_avoided", 1 - discount, "fraction", text, more, label),
        r.make("model_cache_reload_cost_fraction", hbm, "fraction", text, more),
        r.make(
            "cache_hit_reload_tier",
            reload[slowest] if affordable else None,
            "fraction",
            text,
            more,
            slowest,
        ),
    ]
