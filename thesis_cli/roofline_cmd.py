"""`thesis roofline ...`: the forward roofline model on catalog (or user-defined) items.

Every command prints its result with units in the key names, then the assumptions it
rests on. Inline flags (--flops-per-s, --layers, ...) change fields of the selected
catalog item for one run; --hardware-file / --model-file add whole new items.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

import typer

from core.errors import ConfigError
from model.catalog.load import Catalog, load_catalog
from model.catalog.specs import Hardware, ModelSpec
from model.roofline.calibration import calibrate, calibration_lines
from model.roofline.capacity import max_batch, never_compute_bound_context, train_interval
from model.roofline.critical_batch import critical_batch
from model.roofline.decode import decode_step
from model.roofline.deployment import (
    Deployment,
    default_chips,
    overlap_named,
    total_weight_bytes,
)
from model.roofline.efficiency import Efficiency, mfu
from model.roofline.kv import kv_bytes_per_token_per_layer, kv_footprint
from model.roofline.moe import experts_touched, weight_bytes_touched
from model.roofline.precision import bytes_per_element
from model.roofline.prefill import attention_matmul_crossover_tokens, prefill
from thesis_cli.common import JsonOption, emit_json, new_app

app = new_app("The roofline model of LLM inference: KV, balance points, decode and prefill.")

ModelOpt = Annotated[str, typer.Option("--model", help="Model id from the catalog.")]
# kv and decode: the model from --model or straight from a config.json
EitherModelOpt = Annotated[
    str, typer.Option("--model", help="Model id from the catalog (or give --model-config).")
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--model-config",
        help="A Hugging Face config.json to read the architecture from instead of --model.",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]
HardwareOpt = Annotated[str, typer.Option("--hardware", help="Hardware id from the catalog.")]
ChipsOpt = Annotated[
    int | None,
    typer.Option(
        "--chips",
        help="Chips in the replica (default: whole scale-up domains with half of HBM left for KV).",
        show_default=False,
    ),
]
BatchOpt = Annotated[
    float, typer.Option("--batch", help="Sequences decoded (or prompts prefilled) per step.")
]
ContextOpt = Annotated[float, typer.Option("--context", help="Context length in tokens.")]
PromptOpt = Annotated[float, typer.Option("--prompt-tokens", help="Prompt length in tokens.")]
WeightsOpt = Annotated[str, typer.Option("--weights", help="Weight format: bf16, fp8, int8, fp4.")]
ComputeOpt = Annotated[str, typer.Option("--compute", help="Math precision: bf16, fp8, fp4, int8.")]
KvOpt = Annotated[str, typer.Option("--kv-dtype", help="KV-cache format: bf16, fp8, int8, fp4.")]
ExpertWeightsOpt = Annotated[
    str | None,
    typer.Option(
        "--expert-weights",
        help="Routed experts' format (default: as the model ships them, e.g. gpt-oss mxfp4, "
        "else --weights).",
        show_default=False,
    ),
]
OverlapOpt = Annotated[
    str,
    typer.Option(
        "--overlap",
        help="per-op: each operation waits on its own slower resource, one after another "
        "(stricter); overlapped: max(Σ compute, Σ memory, network).",
    ),
]
FilesOpt = Annotated[
    list[Path] | None,
    typer.Option(help="Extra catalog file (same TOML format; repeatable).", dir_okay=False),
]
FlopsEffOpt = Annotated[
    float, typer.Option(min=0.0, max=1.0, help="Achieved fraction of peak FLOP/s (1: roofline).")
]
BandwidthEffOpt = Annotated[
    float, typer.Option(min=0.0, max=1.0, help="Achieved fraction of peak bandwidth.")
]
HbmUsableOpt = Annotated[
    float, typer.Option(min=0.0, max=1.0, help="Share of HBM usable for weights and KV.")
]
_INLINE = "Inline override of the selected catalog item's field of this name."
FloatOpt = Annotated[float | None, typer.Option(show_default=False, help=_INLINE)]
IntOpt = Annotated[int | None, typer.Option(show_default=False, help=_INLINE)]


@dataclasses.dataclass
class Overrides:
    """Inline changes to the selected catalog items (None: keep the catalog value)."""

    flops_per_s: float | None = None
    hbm_bandwidth_bytes_per_s: float | None = None
    hbm_capacity_bytes: float | None = None
    layers: int | None = None
    kv_heads: int | None = None
    head_dim: int | None = None
    total_params: float | None = None
    active_params: float | None = None


def _catalog(hardware_file: list[Path] | None, model_file: list[Path] | None) -> Catalog:
    return load_catalog(hardware_file or [], model_file or [])


def _with_config(catalog: Catalog, model: str, config: Path | None) -> tuple[Catalog, str]:
    """The catalog with --model-config's architecture added, and the model id to use."""
    if config is None:
        if not model:
            raise ConfigError("give --model ID (thesis roofline models) or --model-config FILE")
        return catalog, model
    if model:
        raise ConfigError("give --model or --model-config, not both")
    from extractors.watched import model_configs
    from model.catalog.from_config import spec_from_architecture

    observed = model_configs.parse(config.read_bytes(), model_configs.key_for_file(config))
    spec = spec_from_architecture(observed.architectures[0])
    return dataclasses.replace(catalog, models={**catalog.models, spec.id: spec}), spec.id


def _hardware(catalog: Catalog, hw_id: str, compute: str, o: Overrides) -> Hardware:
    hw = catalog.get_hardware(hw_id)
    changes: dict[str, Any] = {}
    if o.flops_per_s is not None:
        changes["dense_flops_per_s"] = {**hw.dense_flops_per_s, compute: o.flops_per_s}
    if o.hbm_bandwidth_bytes_per_s is not None:
        changes["hbm_bandwidth_bytes_per_s"] = o.hbm_bandwidth_bytes_per_s
    if o.hbm_capacity_bytes is not None:
        changes["hbm_capacity_bytes"] = o.hbm_capacity_bytes
    return dataclasses.replace(hw, id=f"{hw.id}+custom", **changes) if changes else hw


def _model(catalog: Catalog, model_id: str, o: Overrides) -> ModelSpec:
    spec = catalog.get_model(model_id)
    fields = ("layers", "kv_heads", "head_dim", "total_params", "active_params")
    changes = {f: getattr(o, f) for f in fields if getattr(o, f) is not None}
    if not changes:
        return spec
    if "total_params" in changes and "active_params" not in changes and not spec.is_moe:
        changes["active_params"] = changes["total_params"]
    if changes.get("active_params", spec.active_params) > changes.get(
        "total_params", spec.total_params
    ):
        raise ConfigError("--active-params cannot exceed --total-params")
    return dataclasses.replace(spec, id=f"{spec.id}+custom", **changes)


def _positive(**values: float) -> None:
    for name, value in values.items():
        if value <= 0:
            raise ConfigError(f"--{name.replace('_', '-')} must be positive, got {value:g}")


def _emit(doc: dict[str, Any], as_json: bool) -> None:
    """JSON document, or `key: value` lines with the assumptions after them."""
    if as_json:
        emit_json(doc)
        return
    for key, value in doc.items():
        if key == "assumptions":
            continue
        shown = f"{value:.6g}" if isinstance(value, float) else value
        typer.echo(f"{key}: {shown}")
    typer.echo("assumptions:")
    for key, value in doc["assumptions"].items():
        typer.echo(f"  {key}: {value}")


@dataclasses.dataclass(frozen=True)
class Formats:
    weights: str = "bf16"
    compute: str = "bf16"
    kv_dtype: str = "bf16"
    expert_weights: str | None = None  # None: the model's own
    overlap: str = "per-op"


def _deployment(
    catalog: Catalog,
    model_id: str,
    hw_id: str,
    chips: int | None,
    formats: Formats,
    eff: Efficiency,
    o: Overrides,
) -> Deployment:
    model = _model(catalog, model_id, o)
    hardware = _hardware(catalog, hw_id, formats.compute, o)
    experts = model.expert_weights if formats.expert_weights is None else formats.expert_weights
    n = chips if chips is not None else default_chips(model, hardware, formats.weights, experts)
    return Deployment(
        model,
        hardware,
        n,
        weights=formats.weights,
        compute=formats.compute,
        kv_dtype=formats.kv_dtype,
        efficiency=eff,
        expert_weights=experts,
        overlap=overlap_named(formats.overlap),
    )


def _assumptions(dep: Deployment) -> dict[str, Any]:
    hw = dep.hardware
    return {
        **dep.assumptions(),
        "peak_flops_per_s_per_chip": hw.flops_per_s(dep.compute),
        "hbm_bandwidth_bytes_per_s_per_chip": hw.hbm_bandwidth_bytes_per_s,
        "hbm_capacity_bytes_per_chip": hw.hbm_capacity_bytes,
        "scale_up_domain_chips": hw.scale_up_domain_chips,
        "rental_usd_per_chip_hour": hw.rental_usd_per_chip_hour,
        "rental_price_date": hw.rental_price_date,
        "hardware_source": hw.source_url,
        "model_source": dep.model.source_url,
    }


@app.command("kv")
def kv_cmd(
    model: EitherModelOpt = "",
    model_config: ConfigOpt = None,
    kv_dtype: KvOpt = "bf16",
    context: Annotated[
        float | None, typer.Option("--context", help="Also size one sequence of this many tokens.")
    ] = None,
    layers: IntOpt = None,
    kv_heads: IntOpt = None,
    head_dim: IntOpt = None,
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """KV-cache bytes per token (MHA/GQA/MQA: 2·L·n_kv·d·bytes; MLA: L·(latent+rope)·bytes)."""
    catalog, model = _with_config(_catalog(None, model_file), model, model_config)
    spec = _model(catalog, model, Overrides(layers=layers, kv_heads=kv_heads, head_dim=head_dim))
    kv = kv_footprint(spec, kv_dtype)
    doc: dict[str, Any] = {
        "model": spec.id,
        "attention": spec.attention,
        "bytes_per_token": kv.bytes_per_token,
        "bytes_per_token_per_layer": kv_bytes_per_token_per_layer(spec, kv_dtype),
        "sliding_window_layers": spec.sliding_window_layers,
        "sliding_window_tokens": spec.sliding_window_tokens,
    }
    if context is not None:
        _positive(context=context)
        doc |= {
            "context_tokens": context,
            "sequence_bytes": kv.sequence_bytes(context),
            "bytes_per_token_at_context": kv.bytes_per_token_at(context),
        }
    doc["assumptions"] = {
        "kv_dtype": kv_dtype,
        "kv_bytes_per_element": bytes_per_element(kv_dtype),
        "model_source": spec.source_url,
    }
    _emit(doc, as_json)


@app.command("critical-batch")
def critical_batch_cmd(
    hardware: HardwareOpt,
    model: Annotated[
        str | None, typer.Option("--model", help="Add MoE multipliers for this model.")
    ] = None,
    weights: WeightsOpt = "bf16",
    compute: ComputeOpt = "bf16",
    flops_per_s: FloatOpt = None,
    hbm_bandwidth_bytes_per_s: FloatOpt = None,
    hardware_file: FilesOpt = None,
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Balance batch C·b_w/(2·BW): memory-bound below it, compute-bound above it."""
    catalog = _catalog(hardware_file, model_file)
    o = Overrides(flops_per_s=flops_per_s, hbm_bandwidth_bytes_per_s=hbm_bandwidth_bytes_per_s)
    hw = _hardware(catalog, hardware, compute, o)
    spec = catalog.get_model(model) if model else None
    result = critical_batch(hw, compute, weights, spec)
    doc = {
        "hardware": hw.id,
        "tokens": result.tokens,
        "moe_whole_model_tokens": result.moe_whole_model_tokens,
        "moe_expert_layer_tokens": result.moe_expert_layer_tokens,
        "bound_below": "memory",
        "bound_above": "compute",
        "assumptions": {
            "compute": compute,
            "weights": weights,
            "model": model,
            "flops_per_s": result.flops_per_s,
            "hbm_bandwidth_bytes_per_s": result.hbm_bandwidth_bytes_per_s,
            "hardware_source": hw.source_url,
        },
    }
    _emit(doc, as_json)


@app.command("decode")
def decode_cmd(
    hardware: HardwareOpt,
    model: EitherModelOpt = "",
    model_config: ConfigOpt = None,
    chips: ChipsOpt = None,
    batch: BatchOpt = 64,
    context: ContextOpt = 8192,
    weights: WeightsOpt = "bf16",
    compute: ComputeOpt = "bf16",
    kv_dtype: KvOpt = "bf16",
    expert_weights: ExpertWeightsOpt = None,
    overlap: OverlapOpt = "per-op",
    flops_efficiency: FlopsEffOpt = 1.0,
    bandwidth_efficiency: BandwidthEffOpt = 1.0,
    flops_per_s: FloatOpt = None,
    hbm_bandwidth_bytes_per_s: FloatOpt = None,
    hbm_capacity_bytes: FloatOpt = None,
    total_params: FloatOpt = None,
    active_params: FloatOpt = None,
    hardware_file: FilesOpt = None,
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """One decode step at --batch and --context: compute vs memory vs network (MoE
    dispatch/combine over NVLink-class and scale-out fabrics), per-op and overlapped."""
    _positive(batch=batch, context=context)
    o = Overrides(
        flops_per_s,
        hbm_bandwidth_bytes_per_s,
        hbm_capacity_bytes,
        total_params=total_params,
        active_params=active_params,
    )
    catalog, model = _with_config(_catalog(hardware_file, model_file), model, model_config)
    dep = _deployment(
        catalog,
        model,
        hardware,
        chips,
        Formats(weights, compute, kv_dtype, expert_weights, overlap),
        Efficiency(flops_efficiency, bandwidth_efficiency),
        o,
    )
    step = decode_step(dep, batch, context)
    doc = {
        **dataclasses.asdict(step),
        "never_compute_bound_beyond_context_tokens": never_compute_bound_context(dep),
        "assumptions": _assumptions(dep),
    }
    _emit(doc, as_json)


@app.command("prefill")
def prefill_cmd(
    model: ModelOpt,
    hardware: HardwareOpt,
    chips: ChipsOpt = None,
    prompt_tokens: PromptOpt = 8192,
    batch: Annotated[float, typer.Option("--batch", help="Prompts prefilled together.")] = 1,
    weights: WeightsOpt = "bf16",
    compute: ComputeOpt = "bf16",
    kv_dtype: KvOpt = "bf16",
    expert_weights: ExpertWeightsOpt = None,
    overlap: OverlapOpt = "per-op",
    flops_efficiency: FlopsEffOpt = 1.0,
    bandwidth_efficiency: BandwidthEffOpt = 1.0,
    flops_per_s: FloatOpt = None,
    hbm_bandwidth_bytes_per_s: FloatOpt = None,
    hardware_file: FilesOpt = None,
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Prefill of --batch prompts of --prompt-tokens: matmul + causal attention vs one read."""
    _positive(prompt_tokens=prompt_tokens, batch=batch)
    o = Overrides(flops_per_s, hbm_bandwidth_bytes_per_s)
    dep = _deployment(
        _catalog(hardware_file, model_file),
        model,
        hardware,
        chips,
        Formats(weights, compute, kv_dtype, expert_weights, overlap),
        Efficiency(flops_efficiency, bandwidth_efficiency),
        o,
    )
    result = prefill(dep, prompt_tokens, batch)
    doc = {
        **dataclasses.asdict(result),
        "attention_matmul_crossover_tokens": attention_matmul_crossover_tokens(dep.model),
        "assumptions": _assumptions(dep),
    }
    _emit(doc, as_json)


@app.command("max-batch")
def max_batch_cmd(
    model: ModelOpt,
    hardware: HardwareOpt,
    chips: ChipsOpt = None,
    context: ContextOpt = 8192,
    weights: WeightsOpt = "bf16",
    kv_dtype: KvOpt = "bf16",
    hbm_usable: HbmUsableOpt = 1.0,
    hbm_capacity_bytes: FloatOpt = None,
    hardware_file: FilesOpt = None,
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Sequences of --context tokens whose KV fits in HBM beside the weights."""
    _positive(context=context)
    catalog = _catalog(hardware_file, model_file)
    hw_rates = catalog.get_hardware(hardware).dense_flops_per_s
    compute = "bf16" if "bf16" in hw_rates else next(iter(hw_rates))
    dep = _deployment(
        catalog,
        model,
        hardware,
        chips,
        Formats(weights, compute, kv_dtype),
        Efficiency(hbm_usable_fraction=hbm_usable),
        Overrides(hbm_capacity_bytes=hbm_capacity_bytes),
    )
    doc = {**dataclasses.asdict(max_batch(dep, context)), "assumptions": _assumptions(dep)}
    _emit(doc, as_json)


@app.command("interval")
def interval_cmd(
    hardware: HardwareOpt,
    hbm_capacity_bytes: FloatOpt = None,
    hbm_bandwidth_bytes_per_s: FloatOpt = None,
    hardware_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Train interval: HBM capacity / bandwidth, the shortest step touching every byte once."""
    catalog = _catalog(hardware_file, None)
    rates = catalog.get_hardware(hardware).dense_flops_per_s
    o = Overrides(
        hbm_bandwidth_bytes_per_s=hbm_bandwidth_bytes_per_s, hbm_capacity_bytes=hbm_capacity_bytes
    )
    hw = _hardware(catalog, hardware, next(iter(rates)), o)
    result = train_interval(hw)
    doc = {
        **dataclasses.asdict(result),
        "assumptions": {"hardware_source": hw.source_url, "confidence": hw.confidence},
    }
    _emit(doc, as_json)


@app.command("experts-touched")
def experts_touched_cmd(
    model: ModelOpt,
    batch: Annotated[float, typer.Option("--batch", help="Tokens in the step.")] = 64,
    weights: WeightsOpt = "bf16",
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Experts a batch touches under uniform routing, E·(1 − (1 − k/E)^B), and bytes read."""
    _positive(batch=batch)
    spec = _catalog(None, model_file).get_model(model)
    if not spec.is_moe:
        raise ConfigError(f"model '{model}' is dense: every token reads all its weights")
    doc = {
        "model": spec.id,
        "tokens": batch,
        "experts_routed": spec.experts_routed,
        "experts_active": spec.experts_active,
        "experts_touched": experts_touched(spec.experts_routed, spec.experts_active, batch),
        "weight_bytes_touched": weight_bytes_touched(spec, batch, weights, spec.expert_weights),
        "weight_bytes_if_only_k": weight_bytes_touched(spec, 1, weights, spec.expert_weights),
        "weight_bytes_if_all_experts": total_weight_bytes(spec, weights, spec.expert_weights),
        "assumptions": {
            "routing": "uniform, independent per token",
            "weights": weights,
            "expert_weights": spec.expert_weights or weights,
            "model_source": spec.source_url,
        },
    }
    _emit(doc, as_json)


@app.command("mfu")
def mfu_cmd(
    model: ModelOpt,
    hardware: HardwareOpt,
    chips: Annotated[int, typer.Option("--chips", help="Chips the run used.")],
    tokens: Annotated[float, typer.Option("--tokens", help="Tokens processed in the run.")],
    latency_s: Annotated[float, typer.Option("--latency-s", help="Measured wall time, s.")],
    compute: ComputeOpt = "bf16",
    hardware_file: FilesOpt = None,
    model_file: FilesOpt = None,
    as_json: JsonOption = False,
) -> None:
    """Model FLOPs utilisation of a measured run: 2·P_active·tokens / (chips·C·latency)."""
    _positive(chips=chips, tokens=tokens, latency_s=latency_s)
    catalog = _catalog(hardware_file, model_file)
    spec, hw = catalog.get_model(model), catalog.get_hardware(hardware)
    peak = hw.flops_per_s(compute)
    doc = {
        "mfu": mfu(spec.active_params, tokens, chips, peak, latency_s),
        "model_flops": 2 * spec.active_params * tokens,
        "assumptions": {
            "model": spec.id,
            "hardware": hw.id,
            "chips": chips,
            "compute": compute,
            "peak_flops_per_s_per_chip": peak,
            "active_params": spec.active_params,
            "attention_flops": "not counted (the usual MFU convention)",
        },
    }
    _emit(doc, as_json)


@app.command("calibrate")
def calibrate_cmd(
    overlap: OverlapOpt = "per-op",
    as_json: JsonOption = False,
) -> None:
    """Published serving points against the roofline: measured / bound per point, and the
    decode and prefill fractions `thesis infer --efficiency calibrated` uses."""
    result = calibrate(load_catalog(), overlap_named(overlap))
    doc: dict[str, Any] = {
        "overlap": result.overlap,
        "decode_fraction": result.decode_fraction,
        "prefill_fraction": result.prefill_fraction,
        "points": [
            {
                "id": row.point.id,
                "phase": row.point.phase,
                "description": row.point.description,
                "measured_s": row.point.measured_s,
                "bound_s": row.bound_s,
                "measured_over_bound": row.measured_over_bound,
                "measured_over_calibrated": row.measured_over_calibrated,
                "source_url": row.point.source_url,
                "source_detail": row.point.source_detail,
                "note": row.point.note,
            }
            for row in result.rows
        ],
    }
    if as_json:
        emit_json(doc)
        return
    for line in calibration_lines(result):
        typer.echo(line)
