"""Email delivery over SMTP: STARTTLS, implicit TLS or plain; login; text + HTML parts."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from alerts.delivery.base import DeliveryFailed
from alerts.delivery.escape import header_value
from alerts.delivery.render import html_body, plain_text
from alerts.records import Message
from core.settings.channels import Security


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    security: Security = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    # A CA bundle to trust (e.g. a company relay's own CA); system CAs otherwise.
    ca_file: str = ""
    timeout_s: float = 30.0


def build_email(
    msg: Message, sender: str, recipients: tuple[str, ...], at: datetime | None = None
) -> EmailMessage:
    """multipart/alternative: the plain text part, then the HTML part.

    The Date carries the machine's own UTC offset (RFC 5322: "-0000" would mean "zone
    unknown"), the Message-ID the sender's domain, and Auto-Submitted (RFC 3834) tells
    mail servers and people that a program sent it: no out-of-office replies.
    """
    mail = EmailMessage()
    mail["Subject"] = header_value(msg.title)
    mail["From"] = header_value(sender)
    mail["To"] = ", ".join(header_value(r) for r in recipients)
    mail["Date"] = format_datetime((at or datetime.now()).astimezone())
    mail["Message-ID"] = make_msgid(domain=_domain(sender))
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(plain_text(msg))
    mail.add_alternative(html_body(msg), subtype="html")
    return mail


def _domain(sender: str) -> str:
    """The domain of the sender's address ("Thesis <a@example.com>" -> example.com)."""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"


@dataclass(frozen=True, slots=True)
class SmtpEmail:
    config: SmtpConfig
    name: str = "email"

    def send(self, msg: Message) -> None:
        cfg = self.config
        mail = build_email(msg, cfg.sender, cfg.recipients)
        try:
            with self._connect() as smtp:
                if cfg.user:
                    smtp.login(cfg.user, cfg.password)
                refused = smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(f"{self.name}: login refused (SMTP {exc.smtp_code})") from None
        except smtplib.SMTPResponseException as exc:
            reason = _reply(exc.smtp_error)
            raise DeliveryFailed(f"{self.name}: SMTP {exc.smtp_code} {reason}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(
                f"{self.name}: all recipients refused ({len(exc.recipients)})"
            ) from None
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            raise DeliveryFailed(
                f"{self.name}: cannot deliver via {cfg.host}:{cfg.port} ({type(exc).__name__})"
            ) from None
        if refused:
            raise DeliveryFailed(f"{self.name}: {len(refused)} recipient(s) refused")

    def _connect(self) -> smtplib.SMTP:
        # Without local_hostname, smtplib reverse-resolves our own name (socket.getfqdn)
        # on every send: a DNS query for nothing. The plain host name is a fine HELO.
        helo = socket.gethostname()
        cfg = self.config
        context = ssl.create_default_context(cafile=cfg.ca_file or None)
        if cfg.security == "tls":
            return smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout_s, context=context, local_hostname=helo
            )
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s, local_hostname=helo)
        try:
            if cfg.security == "starttls":
                smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
        return smtp


def _reply(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())[:200]
