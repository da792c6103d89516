"""The thesis's over-training arithmetic: equalise pre-training, RL and inference compute.

If a lab spends as much compute serving a model as pre-training it (and as much again
on RL), then 6·P·D_pretrain = 2·P·T_inference, so D = T_inference / 3 whatever P is,
and the tokens seen per active parameter, D / P, can be set against Chinchilla's ~20.
Traffic and lifetime are assumptions, not data: change them and the answer scales.
"""

from __future__ import annotations

from dataclasses import dataclass

CHINCHILLA_TOKENS_PER_PARAMETER = 20.0
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class Overtraining:
    active_params: float
    inference_tokens: float
    pretraining_tokens: float
    tokens_per_parameter: float
    factor_vs_chinchilla: float


def overtraining(
    active_params: float, traffic_tokens_per_s: float, lifetime_days: float
) -> Overtraining:
    served = traffic_tokens_per_s * lifetime_days * SECONDS_PER_DAY
    pretraining = 2.0 * active_params * served / (6.0 * active_params)
    per_param = pretraining / active_params
    return Overtraining(
        active_params, served, pretraining, per_param, per_param / CHINCHILLA_TOKENS_PER_PARAMETER
    )
