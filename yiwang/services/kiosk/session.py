"""The kiosk's session: the card on the reader, the idle clock, and the wipe between two people.

A kiosk is shared: the person at it is identified only by the ID card read by the reader (assurance
``id_card``). The card's data is kept in the session; :func:`wipe` logs out and flushes the session
(server-side) so the next person sees nothing of the last. Every kiosk request also checks the idle
clock on the server: a session idle longer than the warning plus the countdown is wiped even if the
page's script never ran.
"""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.contrib.auth import logout

from yiwang.core.identity.cardreader import CardData, SimulatedCardReader, configured_reader

CARD_KEY = "kiosk_card"
SEEN_KEY = "kiosk_seen"
DEMO_CARD = CardData("110105198503120012", "欧阳娜娜", date(2040, 1, 1))


def timing() -> tuple[int, int]:
    """(idle seconds before the warning, seconds of the countdown) from ``settings.KIOSK``."""
    conf = getattr(settings, "KIOSK", {})
    return int(conf.get("IDLE_SECONDS", 60)), int(conf.get("WARN_SECONDS", 20))


def reader():
    """The kiosk's card reader (the deployment's adapter), or None."""
    return configured_reader()


def simulated_reader() -> SimulatedCardReader | None:
    current = reader()
    return current if isinstance(current, SimulatedCardReader) else None


def remember_card(request, card: CardData) -> None:
    request.session[CARD_KEY] = {
        "id_number": card.id_number,
        "name": card.name,
        "valid_until": card.valid_until.isoformat() if card.valid_until else "",
    }


def card(request) -> CardData | None:
    """The card read in this kiosk session, if the same person is still logged in."""
    data = request.session.get(CARD_KEY)
    if not data or not request.user.is_authenticated:
        return None
    until = date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None
    return CardData(data["id_number"], data.get("name", ""), until)


def wipe(request) -> None:
    """Forget everything of this person: log out and flush the session (a new, empty session key)."""
    logout(request)  # flushes the session
    request.session.flush()


def touch(request) -> bool:
    """Note activity; wipe first if the session was idle past the countdown. True if it was wiped."""
    idle, warn = timing()
    now = time.time()
    seen = request.session.get(SEEN_KEY)
    wiped = False
    if (
        seen is not None
        and now - float(seen) > idle + warn
        and (request.session.get(CARD_KEY) or request.user.is_authenticated)
    ):
        wipe(request)
        wiped = True
    request.session[SEEN_KEY] = now
    return wiped
