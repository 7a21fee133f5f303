"""ID-card readers at windows and kiosks.

A reader reads the chip of a second-generation resident ID card; the chip's data is signed by the
issuing authority and checked by the reader's security module, so what a reader returns is a
*verified* identity (assurance ``id_card``). Real readers are vendor devices behind a small adapter
that implements :class:`CardReader`; the demo and the tests use :class:`SimulatedCardReader`.

``settings.IDENTITY["CARD_READER"]`` names the adapter class (dotted path); empty means no reader,
and the card login page is then not offered.
"""

from __future__ import annotations

import abc
import threading
from collections import deque
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class CardReadError(Exception):
    """No card, an unreadable card, or a card that failed the reader's check; the message is user-facing."""


@dataclass(frozen=True)
class CardData:
    id_number: str
    name: str = ""
    valid_until: date | None = None

    def __repr__(self) -> str:  # never print a raw ID number into a log
        return f"CardData(id_number='{self.id_number[:3]}…', name=…, valid_until={self.valid_until})"


class CardReader(abc.ABC):
    """An ID-card reader: ``read()`` blocks until a card is read or ``timeout`` seconds pass."""

    @abc.abstractmethod
    def read(self, timeout: float = 10.0) -> CardData:
        """Return the card's verified data or raise :class:`CardReadError`."""

    def check(self, card: CardData, today: date | None = None) -> CardData:
        """Refuse an expired card (the reader itself refuses forged ones)."""
        if card.valid_until is not None and card.valid_until < (today or date.today()):
            raise CardReadError(_("This ID card has expired."))
        return card


class SimulatedCardReader(CardReader):
    """A reader for the demo and the tests: cards are "inserted" into a queue and read in order.

    ``default`` (if given) is read whenever the queue is empty, so a demo kiosk always has a card.
    """

    def __init__(self, cards=(), default: CardData | None = None):
        self._cards: deque[CardData] = deque(cards)
        self._default = default
        self._lock = threading.Lock()

    def insert(self, card: CardData) -> None:
        with self._lock:
            self._cards.append(card)

    def read(self, timeout: float = 10.0) -> CardData:
        with self._lock:
            if self._cards:
                return self.check(self._cards.popleft())
        if self._default is not None:
            return self.check(self._default)
        raise CardReadError(_("No ID card on the reader. Place the card on the reader and try again."))


_reader: CardReader | None = None
_reader_lock = threading.Lock()


def configured_reader() -> CardReader | None:
    """The deployment's reader (one instance per process), or None when no reader is configured."""
    global _reader
    path = getattr(settings, "IDENTITY", {}).get("CARD_READER", "")
    if not path:
        return None
    with _reader_lock:
        if _reader is None or f"{type(_reader).__module__}.{type(_reader).__qualname__}" != path:
            _reader = import_string(path)()
        return _reader


def set_reader(reader: CardReader | None) -> None:
    """Install a reader instance (the demo's simulated reader, a test's reader)."""
    global _reader
    with _reader_lock:
        _reader = reader
