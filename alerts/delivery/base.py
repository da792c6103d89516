"""What every delivery channel is: a name and a send() that raises DeliveryFailed."""

from __future__ import annotations

from typing import Protocol

from alerts.records import Message
from core.errors import ThesisError


class DeliveryFailed(ThesisError):
    """A channel did not accept a message. The text never carries a secret."""

    kind = "delivery_failed"


class Channel(Protocol):
    """A configured destination. `name` is stable across runs and holds no secret: the
    alerts table records deliveries under it."""

    @property
    def name(self) -> str: ...

    def send(self, msg: Message) -> None:
        """Deliver `msg`; return only once the far end accepted it, else raise."""
        ...
