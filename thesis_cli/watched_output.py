"""Output of `thesis extract` for the watched-model sources (rows of their own kinds)."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

import typer

from core.rows import ArchitectureRow, EndpointRow, Observed
from warehouse.query import render_table

ENDPOINT_COLUMNS = (
    "source_model_key",
    "endpoint_key",
    "quantization",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "discount_fraction",
    "context_tokens",
    "status",
    "uptime_last_1d_pct",
    "latency_p50_ms",
    "throughput_p50_tokens_per_s",
)


def observed_doc(source_id: str, observed: Observed) -> dict[str, Any]:
    return {
        "source": source_id,
        "models": len(observed.model_keys),
        "endpoints": [_plain(asdict(r)) for r in observed.endpoints],
        "architectures": [_plain(asdict(r)) for r in observed.architectures],
        "unmapped_fields": sorted(observed.unmapped_fields),
    }


def print_observed(source_id: str, observed: Observed) -> None:
    if observed.endpoints:
        rows = [[_cell(getattr(r, c)) for c in ENDPOINT_COLUMNS] for r in observed.endpoints]
        typer.echo(render_table(list(ENDPOINT_COLUMNS), rows))
    for arch in observed.architectures:
        typer.echo(architecture_line(arch))
    typer.echo(
        f"{source_id}: {len(observed.model_keys)} models, {len(observed.endpoints)} endpoints, "
        f"{len(observed.architectures)} architectures"
    )
    if observed.unmapped_fields:
        fields = ", ".join(sorted(observed.unmapped_fields))
        typer.echo(f"not mapped (kept in the archived payload): {fields}")


def architecture_line(a: ArchitectureRow) -> str:
    """One line a person can check against the model card."""
    parts = [f"{a.model_type or a.config_format}", f"{a.layers} layers", f"d_model {a.hidden_size}"]
    parts.append(f"{a.heads} heads" + (f" ({a.kv_heads} KV)" if a.kv_heads else ""))
    if a.mla_kv_lora_rank:
        parts.append(f"MLA latent {a.mla_kv_lora_rank} + rope {a.mla_rope_head_dim}")
    elif a.head_dim:
        parts.append(f"head_dim {a.head_dim}")
    if a.experts_routed:
        shared = f", {a.experts_shared} shared" if a.experts_shared else ""
        parts.append(f"{a.experts_routed} experts ({a.experts_per_token} per token{shared})")
    else:
        parts.append("dense")
    if a.sliding_window_tokens:
        layers = f" on {a.sliding_window_layers} layers" if a.sliding_window_layers else ""
        parts.append(f"sliding window {a.sliding_window_tokens}{layers}")
    if a.sparse_attention_topk:
        parts.append(f"sparse top-{a.sparse_attention_topk}")
    weights = a.weight_format or "not stated"
    if a.expert_weight_format and a.expert_weight_format != a.weight_format:
        weights += f", experts {a.expert_weight_format}"
    parts.append(f"weights {weights}")
    return f"{a.source_model_key}: " + ", ".join(parts)


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: _json(v) for k, v in doc.items()}


def _json(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _cell(value: object) -> str:
    return "" if value is None else str(value)


__all__ = ["EndpointRow", "observed_doc", "print_observed"]
