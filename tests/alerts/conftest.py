"""Fixtures for the alerts tests: real alerts, a real SMTP server (aiosmtpd), a TLS cert."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from email.message import EmailMessage
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from alerts.records import Alert

# Real figures: Gemini 2.5 Pro's input price is $1.25/Mtok up to 200k prompt tokens and
# $2.50 above (ai.google.dev/pricing); GPT-4o's input went $5 -> $2.50 with gpt-4o-2024-08-06;
# Claude 3.5 Sonnet is $3 in / $15 out, a 5x spread.
GEMINI_TIER = Alert(
    trigger_id="long-context-tier",
    kind="long_context_tier",
    thesis_id="memory-bound-decode",
    severity="warning",
    provider="google",
    model="gemini-2.5-pro",
    source_model_key="gemini/gemini-2.5-pro",
    subject="google gemini-2.5-pro input above 200k tokens",
    old_value=Decimal("1.25"),
    new_value=Decimal("2.50"),
    unit="USD/Mtok",
    explanation="2x above 200k: KV-cache reads dominate decode beyond the crossover",
    source_url="https://ai.google.dev/gemini-api/docs/pricing",
    date=dt.date(2025, 6, 17),
)
GPT4O_CUT = Alert(
    trigger_id="price-cut-or-rise",
    kind="price_change",
    thesis_id="batching-economics",
    severity="info",
    provider="openai",
    model="gpt-4o",
    source_model_key="gpt-4o",
    subject="openai gpt-4o input",
    old_value=Decimal("5.00"),
    new_value=Decimal("2.50"),
    unit="USD/Mtok",
    explanation="",
    source_url="https://openai.com/api/pricing/",
    date=dt.date(2024, 8, 6),
)
HOSTILE_NAME = "<!channel> *bold* <http://x|y>"
# What alerts.triggers.evidence names for a series alert: the sources and keys behind it.
GPT4O_EVIDENCE = "litellm: gpt-4o, gpt-4o-2024-08-06 (confirms); genai-prices: gpt-4o (agrees)"


@pytest.fixture
def hostile_alert() -> Alert:
    """An alert whose scraped model name tries to ping, format and link."""
    return replace(
        GEMINI_TIER,
        severity="critical",
        model=HOSTILE_NAME,
        source_model_key=HOSTILE_NAME,
        subject=f"google {HOSTILE_NAME}\r\nBcc: victim@example.com",
        explanation="_it_ ~is~ `code` & <b>html</b>",
        evidence=f"litellm: {HOSTILE_NAME}, <b>x</b> (confirms)",
    )


@pytest.fixture
def unused_port() -> int:
    return free_port()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What the SMTP server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


StartSmtp = Callable[..., SmtpServer]


@pytest.fixture
def start_smtp(tls_files: TlsFiles) -> Iterator[StartSmtp]:
    """Start an aiosmtpd server on 127.0.0.1.

    start_smtp(port=None, tls=None|"starttls"|"tls", login=None|(user, password)); the
    server's certificate is tls_files.cert.
    """
    started: list[SmtpServer] = []

    def start(
        port: int | None = None,
        tls: str | None = None,
        login: tuple[str, str] | None = None,
    ) -> SmtpServer:
        server = SmtpServer(port or free_port(), Inbox())
        kw: dict[str, Any] = {}
        if tls == "starttls":
            kw |= {"tls_context": tls_files.server_context(), "require_starttls": True}
        if tls == "tls":
            # aiosmtpd does not see an implicit-TLS socket as TLS, so it would hide AUTH.
            kw |= {"ssl_context": tls_files.server_context(), "auth_require_tls": False}
        if login:
            kw |= {"auth_required": True, "authenticator": login_checker(server.inbox, *login)}
        controller = Controller(
            server.inbox, hostname="127.0.0.1", port=server.port, server_hostname="localhost", **kw
        )
        controller.start()
        server.controller = controller
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def login_checker(inbox: Inbox, user: str, password: str) -> Callable[..., AuthResult]:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = data.login == user.encode() and data.password == password.encode()
        if ok:
            inbox.logins.append(user)
        return AuthResult(success=ok, handled=False)

    return check


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A self-signed certificate for 127.0.0.1 (the client trusts it via a CA file)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    files = TlsFiles(folder / "cert.pem", folder / "key.pem")
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


@pytest.fixture
def gemini_tier() -> Alert:
    return GEMINI_TIER


@pytest.fixture
def gpt4o_cut() -> Alert:
    return GPT4O_CUT


# The largest real day of the LiteLLM history (see the file's "about").
REAL_DAY = Path(__file__).parents[1] / "fixtures" / "alerts" / "litellm_day_2026-10-01.json"


def _value(v: Any) -> Decimal | int | str | None:
    return v if v is None or isinstance(v, int | str) else Decimal(str(v))


@pytest.fixture(scope="session")
def real_day() -> list[Alert]:
    """The 48 alerts of 2026-10-01 from a backtest over the real LiteLLM history."""
    import json

    items = json.loads(REAL_DAY.read_text())["alerts"]
    return [_alert(a) for a in items]


def _alert(a: dict[str, Any]) -> Alert:
    return Alert(
        trigger_id=a["trigger_id"],
        kind=a["kind"],
        thesis_id=a["thesis_id"],
        severity=a["severity"],
        provider=a["provider"],
        model=a["model"],
        source_model_key=a["source_model_key"],
        subject=a["subject"],
        old_value=_value(a["old"]),
        new_value=_value(a["new"]),
        unit=a["unit"],
        explanation=a["explanation"],
        source_url="https://models.litellm.ai/",
        date=dt.date.fromisoformat(a["date"]),
    )
