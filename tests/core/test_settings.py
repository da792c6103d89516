"""The settings registry: defaults, one line per bad value, secrets kept secret, and the
THESIS_URL_<SOURCE> family checked against the source registry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import (
    ChannelSettings,
    FetchSettings,
    PrefectSettings,
    ScheduleSettings,
    SourceUrls,
    WarehouseSettings,
    load_settings,
    source_url,
)
from extractors.registry import SOURCES
from tests.paths import ROOT

SLACK = "https://hooks.slack.com/services/T1/B2/very-secret-token"
SMTP = {
    "THESIS_SMTP_HOST": "smtp.example.com",
    "THESIS_SMTP_USER": "alerts@example.com",
    "THESIS_SMTP_PASSWORD": "app-password-123",
    "THESIS_SMTP_TO": "a@example.com b@example.com",
}


def bad(env: dict[str, str]) -> str:
    """The one-line message of loading every setting from `env`."""
    with pytest.raises(ConfigError) as info:
        load_settings(env, source_ids=SOURCES)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_every_setting_has_its_default_when_the_environment_is_empty() -> None:
    s = load_settings({}, source_ids=SOURCES)
    assert (s.warehouse.db, s.warehouse.spool_dir, s.warehouse.lock_wait_s) == (None, None, 60)
    assert (s.fetch.fetch_attempts, s.fetch.fetch_backoff_s) == (4, 1.0)
    assert (s.fetch.fetch_connect_timeout_s, s.fetch.fetch_read_timeout_s) == (5.0, 30.0)
    assert (s.fetch.fetch_deadline_s, s.fetch.fundamentals_budget_s) == (120.0, 90.0)
    assert (s.fetch.task_retries, s.fetch.task_retry_delay_s) == (1, 30.0)
    assert s.prefect.prefect_startup_timeout_s == 300.0
    assert (s.prefect.task_runner, s.prefect.task_workers, s.prefect.cluster_address) == (
        "thread",
        None,
        "",
    )
    assert (s.schedule.schedule_cron, s.schedule.schedule_tz) == ("0 6 * * *", "UTC")
    assert s.channels.smtp_host is None and s.channels.apprise_urls == ()
    assert s.source_urls.urls == {}


def test_values_are_parsed_trimmed_and_a_blank_one_is_unset(tmp_path: Path) -> None:
    env = {
        "THESIS_FETCH_ATTEMPTS": " 7 ",
        "THESIS_LOCK_WAIT_S": "0.5",
        "THESIS_FETCH_DEADLINE_S": "   ",
        "THESIS_SPOOL_DIR": "~/spool",
        "THESIS_TASK_RUNNER": "DASK",
        "THESIS_DASK_ADDRESS": "tcp://10.0.0.5:8786",
        "THESIS_SCHEDULE_CRON": " 30  5 * * 1-5 ",
    }
    s = load_settings(env, source_ids=SOURCES)
    assert (s.fetch.fetch_attempts, s.warehouse.lock_wait_s) == (7, 0.5)
    assert s.fetch.fetch_deadline_s == 120.0
    assert s.warehouse.spool_dir == Path("~/spool").expanduser()
    assert (s.prefect.task_runner, s.prefect.cluster_address) == ("dask", "tcp://10.0.0.5:8786")
    assert s.schedule.schedule_cron == "30 5 * * 1-5"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"THESIS_FETCH_ATTEMPTS": "abc"},
            "THESIS_FETCH_ATTEMPTS='abc' is not a whole number; e.g. THESIS_FETCH_ATTEMPTS=4",
        ),
        (
            {"THESIS_FETCH_ATTEMPTS": "2.5"},
            "THESIS_FETCH_ATTEMPTS='2.5' is not a whole number; e.g. THESIS_FETCH_ATTEMPTS=4",
        ),
        (
            {"THESIS_LOCK_WAIT_S": "soon"},
            "THESIS_LOCK_WAIT_S='soon' is not a number; e.g. THESIS_LOCK_WAIT_S=120",
        ),
        (
            {"THESIS_FETCH_DEADLINE_S": "inf"},
            "THESIS_FETCH_DEADLINE_S='inf' is not a finite number; "
            "e.g. THESIS_FETCH_DEADLINE_S=300",
        ),
        (
            {"THESIS_FETCH_BACKOFF_S": "-1"},
            "THESIS_FETCH_BACKOFF_S='-1' must not be negative; e.g. THESIS_FETCH_BACKOFF_S=2",
        ),
        (
            {"THESIS_FETCH_ATTEMPTS": "0"},
            "THESIS_FETCH_ATTEMPTS='0' must be at least 1; e.g. THESIS_FETCH_ATTEMPTS=4",
        ),
        (
            {"THESIS_FETCH_READ_TIMEOUT_S": "0"},
            "THESIS_FETCH_READ_TIMEOUT_S='0' must be more than 0; "
            "e.g. THESIS_FETCH_READ_TIMEOUT_S=60",
        ),
        (
            {"THESIS_TASK_RUNNER": "celery"},
            "THESIS_TASK_RUNNER='celery' is not known: use thread, dask or ray; "
            "e.g. THESIS_TASK_RUNNER=dask",
        ),
        (
            {"THESIS_TASK_WORKERS": "0"},
            "THESIS_TASK_WORKERS='0' is not a positive whole number; e.g. THESIS_TASK_WORKERS=4",
        ),
        (
            {"THESIS_DASK_ADDRESS": "10.0.0.5:8786"},
            "THESIS_DASK_ADDRESS='10.0.0.5:8786' is not a scheduler address: write it with its "
            "protocol, e.g. tcp://10.0.0.5:8786",
        ),
        (
            {"THESIS_SCHEDULE_CRON": "0 6 * *"},
            "THESIS_SCHEDULE_CRON='0 6 * *' is not a five-field cron expression (minute hour "
            "day-of-month month day-of-week); e.g. THESIS_SCHEDULE_CRON='30 5 * * 1-5'",
        ),
        (
            {"THESIS_SCHEDULE_CRON": "0 25 * * *"},
            "THESIS_SCHEDULE_CRON='0 25 * * *' has hour 25, outside 0-23; "
            "e.g. THESIS_SCHEDULE_CRON='30 5 * * 1-5'",
        ),
        (
            {"THESIS_SCHEDULE_CRON": "*/0 6 * * *"},
            "THESIS_SCHEDULE_CRON='*/0 6 * * *' has a minute step '0' that is not a positive",
        ),
        (
            {"THESIS_SCHEDULE_TZ": "Europe/Londn"},
            "THESIS_SCHEDULE_TZ='Europe/Londn' is not an IANA time zone (a name like UTC or "
            "America/New_York); e.g. THESIS_SCHEDULE_TZ=Europe/London",
        ),
        (
            {**SMTP, "THESIS_SMTP_PORT": "70000"},
            "THESIS_SMTP_PORT='70000' is not a port number: use a whole number 1-65535; "
            "e.g. THESIS_SMTP_PORT=587",
        ),
        (
            {**SMTP, "THESIS_SMTP_CA_FILE": "/nonexistent/ca.pem"},
            "THESIS_SMTP_CA_FILE='/nonexistent/ca.pem' is not a file: give the path of a PEM "
            "CA bundle; e.g. THESIS_SMTP_CA_FILE=/etc/ssl/certs/relay-ca.pem",
        ),
        (
            {"THESIS_APPRISE_URLS": "json://127.0.0.1/a ntfy.sh/topic"},
            "THESIS_APPRISE_URLS has an entry (number 2) that is not a URL: write each as "
            "scheme://..., see https://github.com/caronc/apprise/wiki; "
            "e.g. THESIS_APPRISE_URLS=ntfy://ntfy.sh/my-topic",
        ),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable_the_problem_and_a_good_value(
    env: dict[str, str], message: str
) -> None:
    assert bad(env).startswith(message)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**SMTP, "THESIS_SMTP_PASSWORD": ""}, "THESIS_SMTP_USER is set but THESIS_SMTP_PASSWORD"),
        ({**SMTP, "THESIS_SMTP_HOST": " "}, "THESIS_SMTP_PASSWORD is set but THESIS_SMTP_HOST"),
        (
            {**SMTP, "THESIS_SMTP_SECURITY": "none"},
            "THESIS_SMTP_SECURITY=none with THESIS_SMTP_USER would send the password in clear",
        ),
        ({**SMTP, "THESIS_SMTP_TO": ""}, "THESIS_SMTP_TO is not set: give the recipient"),
        (
            {**SMTP, "THESIS_SMTP_USER": "", "THESIS_SMTP_PASSWORD": ""},
            "THESIS_SMTP_FROM is not set: give the sender address, e.g. THESIS_SMTP_FROM=",
        ),
        ({**SMTP, "THESIS_SMTP_TO": "a@b.c, nobody"}, "THESIS_SMTP_TO: 'nobody' is not an email"),
        (
            {"THESIS_TASK_RUNNER": "ray", "THESIS_RAY_ADDRESS": "auto", "THESIS_TASK_WORKERS": "2"},
            "THESIS_TASK_WORKERS sizes a local cluster; the cluster at auto has its own workers",
        ),
        (
            {"THESIS_SLACK_WEBHOOK_URL": SLACK, "THESIS_SLACK_WEBHOOK_BLOCK": "slack"},
            "both THESIS_SLACK_WEBHOOK_URL and THESIS_SLACK_WEBHOOK_BLOCK are set: unset one",
        ),
    ],
)
def test_settings_that_contradict_each_other_say_which_and_how_to_fix_it(
    env: dict[str, str], message: str
) -> None:
    assert bad(env).startswith(message)


def test_a_thesis_variable_that_is_no_setting_is_a_typo_with_a_suggestion() -> None:
    assert bad({"THESIS_FETCH_ATEMPTS": "4"}) == (
        "THESIS_FETCH_ATEMPTS is not a thesis setting: did you mean THESIS_FETCH_ATTEMPTS?"
    )
    assert bad({"THESIS_QQQ": "1"}) == (
        "THESIS_QQQ is not a thesis setting: see docs/configuration.md"
    )


def test_secrets_stay_out_of_repr_str_json_and_error_messages() -> None:
    secrets = ["very-secret-token", "app-password-123", "apprise-token-456"]
    env = {
        **SMTP,
        "THESIS_SLACK_WEBHOOK_URL": SLACK,
        "THESIS_APPRISE_URLS": "json://127.0.0.1/apprise-token-456",
    }
    channels = ChannelSettings.load(env)
    settings = load_settings(env, source_ids=SOURCES)
    shown = [repr(channels), str(channels), channels.model_dump_json(), repr(settings)]
    shown.append(json.dumps(channels.model_dump(mode="json")))
    for text in shown:
        assert not any(s in text for s in secrets), text
    assert channels.slack_webhook_url is not None
    assert channels.slack_webhook_url.get_secret_value() == SLACK
    not_a_url = bad({"THESIS_SLACK_WEBHOOK_URL": "hooks.slack.com/services/very-secret-token"})
    assert not_a_url.startswith("THESIS_SLACK_WEBHOOK_URL is not an http(s) URL")
    assert "very-secret-token" not in not_a_url
    no_apprise_url = bad({"THESIS_APPRISE_URLS": "apprise-token-456"})
    assert "apprise-token-456" not in no_apprise_url


def test_a_password_keeps_its_spaces_and_other_values_are_trimmed() -> None:
    channels = ChannelSettings.load({**SMTP, "THESIS_SMTP_PASSWORD": " pass word "})
    assert channels.smtp_password is not None
    assert channels.smtp_password.get_secret_value() == " pass word "
    assert channels.smtp_to == ("a@example.com", "b@example.com")


def test_smtp_port_follows_the_security_unless_set() -> None:
    assert ChannelSettings.load(SMTP).smtp_port_in_use == 587
    assert ChannelSettings.load({**SMTP, "THESIS_SMTP_SECURITY": "TLS"}).smtp_port_in_use == 465
    assert ChannelSettings.load({**SMTP, "THESIS_SMTP_PORT": "2525"}).smtp_port_in_use == 2525
    assert ChannelSettings.load(SMTP).smtp_sender == "alerts@example.com"


def test_the_url_family_maps_each_variable_to_its_source() -> None:
    env = {
        "THESIS_URL_LITELLM": "http://127.0.0.1:9/litellm.json",
        "THESIS_URL_GEMINI_DOCS": " https://mirror.example.com/gemini ",
        "THESIS_URL_OPENROUTER": "",
    }
    assert load_settings(env, source_ids=SOURCES).source_urls.urls == {
        "gemini-docs": "https://mirror.example.com/gemini",
        "litellm": "http://127.0.0.1:9/litellm.json",
    }
    assert source_url("gemini-docs", "https://own", env) == "https://mirror.example.com/gemini"
    assert source_url("openrouter", "https://own", env) == "https://own"


def test_a_url_variable_naming_no_source_lists_the_sources() -> None:
    message = bad({"THESIS_URL_LITELM": "http://127.0.0.1:9/litellm.json"})
    assert message.startswith("THESIS_URL_LITELM names no source; the sources are gemini-docs,")
    assert all(source_id in message for source_id in SOURCES)
    with pytest.raises(ConfigError, match="THESIS_URL_LITELLM='ftp://x' is not an http"):
        SourceUrls.load(SOURCES, {"THESIS_URL_LITELLM": "ftp://x"})
    with pytest.raises(ConfigError, match=r"e\.g\. THESIS_URL_LITELLM=http"):
        source_url("litellm", "https://own", {"THESIS_URL_LITELLM": "file:///tmp/x"})


def test_each_section_reads_only_its_own_variables() -> None:
    env = {"THESIS_SMTP_PORT": "twenty-five", "THESIS_FETCH_ATTEMPTS": "3"}
    assert FetchSettings.load(env).fetch_attempts == 3
    assert WarehouseSettings.load(env).lock_wait_s == 60
    assert PrefectSettings.load(env).task_runner == "thread"
    assert ScheduleSettings.load(env).schedule_tz == "UTC"
    with pytest.raises(ConfigError, match="THESIS_SMTP_PORT='twenty-five'"):
        ChannelSettings.load(env)


def test_the_process_environment_is_read_when_no_mapping_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "9")
    assert FetchSettings.load().fetch_attempts == 9
    monkeypatch.setenv("THESIS_FETCH_ATTEMPTS", "nine")
    with pytest.raises(ConfigError, match="THESIS_FETCH_ATTEMPTS='nine'"):
        FetchSettings.load()


def test_loading_settings_imports_no_heavy_library() -> None:
    code = (
        "import sys; from core.settings import load_settings; "
        "load_settings({}, source_ids=['litellm']); "
        "print(sorted(m for m in ('pandas', 'prefect', 'apprise', 'duckdb') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"


def test_source_ids_are_asked_for_only_when_a_mirror_is_set() -> None:
    asked: list[bool] = []

    def ids() -> list[str]:
        asked.append(True)
        return ["litellm"]

    assert load_settings({}, source_ids=ids).source_urls.urls == {}
    assert asked == []
    env = {"THESIS_URL_LITELLM": "http://127.0.0.1:8000/litellm.json"}
    assert load_settings(env, source_ids=ids).source_urls.urls == {
        "litellm": "http://127.0.0.1:8000/litellm.json"
    }
    assert asked == [True]
    with pytest.raises(ConfigError, match="THESIS_URL_NOPE names no source"):
        load_settings({"THESIS_URL_NOPE": "http://127.0.0.1/x"}, source_ids=ids)
