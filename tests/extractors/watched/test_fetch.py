"""One GET per watched model against a local server: the model in the path, the optional
token as a bearer header, and gated, renamed and rate-limited repos as typed failures."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.errors import AccessDenied, ConfigError, FetchFailed, NotFound, RateLimited
from extractors.registry import WATCHED, get_watched
from extractors.watched import model_configs, openrouter_endpoints
from extractors.watched.watchlist import expand

SECRET = "hf_s3cr3t-token"


def template(server: HTTPServer) -> str:
    return server.url_for("/") + "{model}/resolve/main/config.json"


def test_the_model_goes_into_the_path_and_the_token_into_a_bearer_header(
    httpserver: HTTPServer,
) -> None:
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("Authorization"))
        return Response('{"num_hidden_layers": 2}', content_type="application/json")

    path = "/deepseek-ai/DeepSeek-V3/resolve/main/config.json"
    httpserver.expect_request(path).respond_with_handler(handler)
    src = model_configs.SOURCE
    got = src.fetch("deepseek-ai/DeepSeek-V3", token=SECRET, url_template=template(httpserver))
    src.fetch("deepseek-ai/DeepSeek-V3", url_template=template(httpserver))
    assert got.payload == b'{"num_hidden_layers": 2}'
    assert seen == [f"Bearer {SECRET}", None]


@pytest.mark.parametrize(
    ("status", "error", "kind"),
    [
        (401, AccessDenied, "access_denied"),
        (403, AccessDenied, "access_denied"),
        (404, NotFound, "not_found"),
        (429, RateLimited, "rate_limited"),
        (500, FetchFailed, "fetch_failed"),
    ],
)
def test_each_refusal_is_its_own_failure_naming_the_model_never_the_token(
    httpserver: HTTPServer, status: int, error: type[FetchFailed], kind: str
) -> None:
    httpserver.expect_request(
        "/meta-llama/Llama-3.1-70B/resolve/main/config.json"
    ).respond_with_data("no", status=status)
    with pytest.raises(error) as failed:
        model_configs.SOURCE.fetch(
            "meta-llama/Llama-3.1-70B",
            token=SECRET,
            url_template=template(httpserver),
            attempts=2,
            sleep=lambda _: None,
        )
    assert type(failed.value) is error and failed.value.kind == kind
    assert failed.value.source == "model-configs:meta-llama/Llama-3.1-70B"
    assert f"HTTP {status}" in str(failed.value) and SECRET not in str(failed.value)


def test_a_template_without_the_model_mark_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"has no \{model\}"):
        openrouter_endpoints.SOURCE.url("a/b", "http://127.0.0.1/endpoints")


def test_the_registry_lists_both_watched_sources() -> None:
    assert list(WATCHED) == ["openrouter-endpoints", "model-configs"]
    assert get_watched("model-configs").token_variable == "HF_TOKEN"
    with pytest.raises(ConfigError, match="choose one of: openrouter-endpoints, model-configs"):
        get_watched("hf")


def test_patterns_expand_against_known_ids_and_exact_ids_stay() -> None:
    known = ["qwen/qwen3-235b-a22b", "qwen/qwen3-32b", "deepseek/deepseek-v3.2", "qwen/qwq-32b"]
    got = expand(["deepseek/deepseek-v4-pro", "qwen/qwen3-*", "deepseek/*"], known)
    assert got == [
        "deepseek/deepseek-v4-pro",
        "qwen/qwen3-235b-a22b",
        "qwen/qwen3-32b",
        "deepseek/deepseek-v3.2",
    ]
    assert expand(["qwen/*"], known, max_models=2) == ["qwen/qwen3-235b-a22b", "qwen/qwen3-32b"]
