"""Shared pieces of the structured JSON feeds (LiteLLM, OpenRouter, genai-prices).

Loading a payload into JSON with typed, one-line failures, and turning a feed's number
into an exact, non-negative `Decimal` price or an integer token count.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import NoReturn

import orjson

from core.errors import BadPayload, InvalidPrice, LayoutChanged

MTOK = Decimal(1_000_000)
_WHITESPACE_AND_BOM = b"\xef\xbb\xbf \t\r\n"


def load_json(source: str, payload: bytes) -> object:
    """Parse `payload` as JSON, or raise BadPayload with a one-line reason.

    orjson reads it when it can, as the standard library would (the same floats, strict
    JSON; an integer beyond 64 bits, which no feed states, reads as a float); what it
    refuses goes to `json`, which reads a BOM, and words what is wrong."""
    head = payload[:256].lstrip(_WHITESPACE_AND_BOM)
    if not head:
        raise BadPayload(source, "empty payload")
    if head[:1] == b"<":
        # A 200 with an error or challenge page: say so instead of a JSON column number.
        raise BadPayload(source, f"HTML page instead of JSON (starts {_short(head[:40])})")
    try:
        return orjson.loads(payload)  # about twice as fast: history imports read gigabytes
    except orjson.JSONDecodeError:  # the standard parser reads it (a BOM) or words why not
        return _standard_json(source, payload)


def _standard_json(source: str, payload: bytes) -> object:
    try:
        return json.loads(payload, parse_constant=lambda name: _no_constant(source, name))
    except UnicodeDecodeError:
        raise BadPayload(source, "payload is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadPayload(
            source,
            f"malformed or truncated JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
        ) from None


def _no_constant(source: str, name: str) -> NoReturn:
    # Python's json accepts NaN/Infinity; no price feed means them, so refuse the payload.
    raise BadPayload(source, f"non-standard JSON constant {name}")


def json_number(source: str, key: str, field: str, value: object) -> Decimal | None:
    """A JSON number as an exact, non-negative Decimal; None (JSON null) means not stated.

    Floats go through `repr`, the shortest text that round-trips, which is the text the
    feed wrote: 1.25e-06 becomes exactly Decimal("0.00000125"), not a binary neighbour.
    Booleans are rejected although Python counts them as ints.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidPrice(source, f"{key}: {field} is {_short(value)}, not a number")
    return non_negative(
        source, key, field, Decimal(value if isinstance(value, int) else repr(value))
    )


def decimal_text(source: str, key: str, field: str, text: str) -> Decimal:
    """A price written as a decimal string (OpenRouter), exactly, non-negative."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidPrice(source, f"{key}: {field} is {_short(text)}, not a number") from None
    return non_negative(source, key, field, value)


def non_negative(source: str, key: str, field: str, value: Decimal) -> Decimal:
    if not value.is_finite():
        raise InvalidPrice(source, f"{key}: {field} is {value}, not a finite number")
    if value < 0:
        raise InvalidPrice(source, f"{key}: {field} is negative ({value})")
    return value


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without scientific notation: 1.25000000 -> 1.25, 1E+1 -> 10."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal


def token_count(source: str, key: str, field: str, value: object) -> int | None:
    """A token limit: an int, or a float with no fraction (LiteLLM writes 2000000.0)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    raise LayoutChanged(source, f"{key}: {field} is {_short(value)}, not a token count")


def kind_of(value: object) -> str:
    """A JSON value's kind in JSON's words, for messages."""
    names: dict[type, str] = {dict: "object", list: "list", str: "string", bool: "boolean"}
    return names.get(type(value), "null" if value is None else type(value).__name__)


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
