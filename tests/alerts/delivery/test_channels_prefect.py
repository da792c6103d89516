"""THESIS_SLACK_WEBHOOK_BLOCK against a real (test) Prefect server."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from alerts.delivery.channels import channels_from_env
from alerts.delivery.render import probe_message
from alerts.delivery.slack import SlackWebhook
from core.errors import ConfigError


@pytest.mark.usefixtures("prefect_harness")
def test_webhook_url_from_a_prefect_secret_block(httpserver: HTTPServer) -> None:
    from prefect.blocks.system import Secret

    url = httpserver.url_for("/services/T1/B2/from-block")
    Secret(value=url).save("thesis-slack-test", overwrite=True)
    httpserver.expect_request("/services/T1/B2/from-block").respond_with_data("ok")

    (channel,) = channels_from_env({"THESIS_SLACK_WEBHOOK_BLOCK": "thesis-slack-test"})
    assert isinstance(channel, SlackWebhook)
    channel.send(probe_message())
    assert len(httpserver.log) == 1


@pytest.mark.usefixtures("prefect_harness")
def test_missing_secret_block_names_the_block_and_the_fix() -> None:
    with pytest.raises(ConfigError, match="no Prefect Secret block named 'absent-block'"):
        channels_from_env({"THESIS_SLACK_WEBHOOK_BLOCK": "absent-block"})
