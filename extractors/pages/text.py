"""Shared text parsing for the official pricing pages: money, token counts, dates, payloads.

Every page parser (gemini, anthropic, openai, deepseek, xai) reads its
numbers through these functions, so a money or date format is understood in one place.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from core.errors import AmbiguousPrice, BadPayload, Blocked, InvalidPrice, LayoutChanged

# "$1.25", "$ 0.0028", "$1,000.50". Amounts are captured without the dollar sign.
USD_RE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?|\.\d+)")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TOKEN_COUNT_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([kKmM])?\s*(?:tokens?)?\s*$")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
# "$0.10 - $0.20", "$0.10–0.20", "$0.10 to $0.20": a range is not one price.
_RANGE_RE = re.compile(r"\$\s*\d[\d,]*(?:\.\d+)?\s*(?:-|–|—|\bto\b)\s*\$?\s*\.?\d")
# An amount in another currency: refused, never converted.
_FOREIGN_RE = re.compile(
    r"(?:[€£¥₹₩]|\b(?:EUR|GBP|JPY|CNY|RMB|INR|KRW)\b)\s*\d|\d\s*(?:[€£元円₹]|\b(?:EUR|GBP|JPY|CNY|RMB)\b)"
)
_FREE_RE = re.compile(r"^\s*free(?:\s+of\s+charge)?\s*[*†‡]*\s*$", re.IGNORECASE)
_PER_1M_RE = re.compile(
    r"(?:per|/)\s*(?:1\s*m|1,000,000|one million|million|1\s*million)\s*"
    r"(?:input\s+|output\s+)?tokens|\bmtok\b|\b1m\s+(?:input\s+|output\s+)?tokens",
    re.IGNORECASE,
)
_PER_1K_RE = re.compile(
    r"(?:per|/)\s*(?:1\s*k|1,000|one thousand|thousand)\s*(?:input\s+|output\s+)?tokens"
    r"|\bktok\b|\b1k\s+(?:input\s+|output\s+)?tokens",
    re.IGNORECASE,
)
_NON_LATIN_RE = re.compile(
    r"[\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_LANG_RE = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)
_ISOISH_DATE_RE = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")
_WORD_DATE_RE = re.compile(r"([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),\s*(\d{4})")

# Markers of bot/JavaScript challenge pages served instead of content (Cloudflare and
# similar). Matched case-insensitively on the decoded text.
_CHALLENGE_MARKERS = (
    "enable javascript and cookies to continue",
    "_cf_chl_opt",
    "/cdn-cgi/challenge-platform/",
    "cf-browser-verification",
    "<title>just a moment...</title>",
    "attention required! | cloudflare",
    "verify you are human",
)


def decode_page(source: str, payload: bytes) -> str:
    """Decode a page as UTF-8 (a BOM is allowed) or raise BadPayload.

    We refuse rather than decode with replacement: every provider serves UTF-8, so other
    bytes mean a broken transfer (undecoded gzip, a proxy's error page, truncation), and
    a page we cannot read faithfully must not produce rows.
    """
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadPayload(
            source,
            f"payload is not UTF-8 (byte {exc.start}: {payload[exc.start : exc.start + 4]!r})",
        ) from exc
    if not text.strip():
        raise BadPayload(source, "empty payload")
    return text


def ensure_not_challenge(source: str, text: str) -> None:
    """Raise Blocked when the text is a bot/JavaScript challenge instead of the page."""
    lowered = text.lower()
    for marker in _CHALLENGE_MARKERS:
        if marker in lowered:
            raise Blocked(source, f"got a bot/JavaScript challenge page ({marker!r}), not prices")


def looks_like_html(text: str) -> bool:
    """True when the payload is an HTML document rather than Markdown."""
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<head" in head


def strip_markdown_inline(text: str) -> str:
    """Plain text of a Markdown cell: links to their text, escapes and emphasis removed."""
    text = _MD_LINK_RE.sub(r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|$])", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    return normalize_space(text)


def normalize_space(text: str) -> str:
    """Collapse whitespace (including NBSP and zero-width spaces) to single spaces."""
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_usd(source: str, text: str) -> Decimal:
    """The one dollar amount in `text` (e.g. "$1.25 / MTok") as a Decimal.

    Raises InvalidPrice unless there is exactly one; callers that expect several amounts
    (tiers, modalities, discounts) use `usd_amounts` and decide what each one means.
    """
    amounts = usd_amounts(source, text)
    if len(amounts) != 1:
        raise InvalidPrice(source, f"expected one dollar amount in {text!r}, found {len(amounts)}")
    return amounts[0]


def usd_amounts(source: str, text: str) -> list[Decimal]:
    """Every dollar amount in `text`, in order.

    Raises AmbiguousPrice on a range ("$0.10 - $0.20": which one?) and InvalidPrice on an
    amount in another currency (never converted).
    """
    if _RANGE_RE.search(text):
        raise AmbiguousPrice(source, f"a price range, not one price: {text!r}")
    if _FOREIGN_RE.search(text):
        raise InvalidPrice(source, f"a price in a currency other than USD: {text!r}")
    out = []
    for raw in USD_RE.findall(text):
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits digits only
            raise InvalidPrice(source, f"not a number: {raw!r}") from exc
        out.append(value)
    return out


def is_free(text: str) -> bool:
    """True for a cell that says the price is nothing ("Free", "Free of charge*")."""
    return bool(_FREE_RE.match(text))


def token_unit_scale(text: str) -> int | None:
    """What turns a stated price into USD per million tokens: 1 for text saying "per 1M
    tokens" (or MTok), 1000 for "per 1K tokens"; None when the text states neither."""
    per_1m, per_1k = bool(_PER_1M_RE.search(text)), bool(_PER_1K_RE.search(text))
    if per_1m == per_1k:
        return None
    return 1 if per_1m else 1000


def ensure_english(source: str, text: str) -> None:
    """Raise LayoutChanged when the page is in another language: an `<html lang>` other
    than English, or mostly non-Latin letters. A translated page is refused, not read."""
    lang = _LANG_RE.search(text[:4096])
    if lang and not lang[1].lower().startswith("en"):
        raise LayoutChanged(source, f"page is in language {lang[1]!r}, not English")
    letters = sum(ch.isalpha() for ch in text)
    foreign = len(_NON_LATIN_RE.findall(text))
    if letters and foreign > 0.2 * letters:
        raise LayoutChanged(source, f"page is not in English ({foreign} of {letters} letters)")


def parse_token_count(text: str) -> int:
    """ "200k" -> 200_000, "1M" -> 1_000_000, "384K" -> 384_000, "8,192" -> 8192.

    K and M are decimal (as the pages write them: "1M" context is 1,000,000 tokens).
    Raises ValueError on anything else.
    """
    match = _TOKEN_COUNT_RE.match(text)
    if not match:
        raise ValueError(f"not a token count: {text!r}")
    number, unit = match.groups()
    multiplier = {"k": 1_000, "m": 1_000_000}.get((unit or "").lower(), 1)
    if unit is None:
        number = number.replace(",", "")
    value = Decimal(number.replace(",", ".")) * multiplier
    if value != value.to_integral_value() or value <= 0:
        raise ValueError(f"not a whole positive token count: {text!r}")
    return int(value)


def find_dates(text: str) -> list[tuple[int, date]]:
    """Dates written as 2026/05/31, 2026-5-31 or "August 31, 2026", with their offsets."""
    found: list[tuple[int, date]] = []
    for m in _ISOISH_DATE_RE.finditer(text):
        _add_date(found, m.start(), int(m[1]), int(m[2]), int(m[3]))
    for m in _WORD_DATE_RE.finditer(text):
        month = _MONTHS.get(m[1][:3].lower())
        if month is not None:
            _add_date(found, m.start(), int(m[3]), month, int(m[2]))
    return sorted(found)


def _add_date(found: list[tuple[int, date]], at: int, year: int, month: int, day: int) -> None:
    try:
        found.append((at, date(year, month, day)))
    except ValueError:  # "2026/13/45" is not a date; the text simply has none there
        return


def parse_word_date(text: str) -> date | None:
    """The date in "August 31, 2026" (or 2026/08/31), or None when there is none."""
    dates = find_dates(text)
    return dates[0][1] if len(dates) == 1 else None
