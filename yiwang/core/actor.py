"""Who is acting, through which channel, from where: passed to every action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .roles import ASSURANCE_RANK, Assurance

if TYPE_CHECKING:
    from .models import User


class Channel:
    WEB = "web"
    API = "api"
    ADMIN = "admin"
    CLI = "cli"
    WORKER = "worker"
    MQTT = "mqtt"
    OPEN311 = "open311"
    KIOSK = "kiosk"
    SYSTEM = "system"


def client_address(request) -> str | None:
    """The client's address: X-Forwarded-For only behind our own proxy (otherwise anyone could forge it)."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Actor:
    user: User | None = None
    channel: str = Channel.SYSTEM
    client_ip: str | None = None
    assurance: str = Assurance.PASSWORD
    extra: dict = field(default_factory=dict)

    @classmethod
    def system(cls, channel: str = Channel.SYSTEM) -> Actor:
        return cls(user=None, channel=channel)

    @classmethod
    def from_request(cls, request, channel: str = Channel.WEB) -> Actor:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        ip = client_address(request)
        assurance = Assurance.PASSWORD
        session = getattr(request, "session", None)
        if session is not None:
            assurance = session.get("assurance", Assurance.PASSWORD)
        return cls(user=user, channel=channel, client_ip=ip or None, assurance=assurance)

    @property
    def label(self) -> str:
        if self.user is None:
            return f"system:{self.channel}"
        return self.user.get_username()

    def has_assurance(self, minimum: str) -> bool:
        return ASSURANCE_RANK.get(self.assurance, 0) >= ASSURANCE_RANK[minimum]
