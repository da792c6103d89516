"""The triggers of the shipped theses file, each as its kind's class."""

from __future__ import annotations

from typing import TypeVar

from alerts.theses.load import load_theses
from alerts.triggers.base import Trigger

T = TypeVar("T", bound=Trigger)
TRIGGERS = {t.id: t for t in load_theses().triggers}


def shipped(kind: type[T], trigger_id: str) -> T:
    trigger = TRIGGERS[trigger_id]
    assert isinstance(trigger, kind)
    return trigger
