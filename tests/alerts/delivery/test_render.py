from __future__ import annotations

from dataclasses import replace

from alerts.delivery.render import digest, plain_text
from alerts.records import Alert


def test_an_alert_with_no_old_value_reads_as_what_was_found_not_none(gpt4o_cut: Alert) -> None:
    news = replace(
        gpt4o_cut,
        trigger_id="page-new-model",
        kind="page_new_model",
        subject="new model on the official page: google gemini-3.5-pro-preview",
        old_value=None,
        new_value="Gemini 3.5 Pro Preview",
        unit="",
    )
    msg = digest([news])
    assert msg.title == (
        "thesis: new model on the official page: google gemini-3.5-pro-preview"
        " (Gemini 3.5 Pro Preview)"
    )
    assert (
        "  new model on the official page: Gemini 3.5 Pro Preview  (page-new-model, "
        in plain_text(msg)
    )
    assert "none" not in plain_text(msg)
    assert digest([replace(news, new_value=None)]).title == f"thesis: {news.subject}"
