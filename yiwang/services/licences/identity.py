"""A verified identity: the only way to ask the licence library what a person holds.

It can be made only from a verified source — a logged-in user whose ID number was set by a verified
login (OIDC / ID card, ``User.verified_id_number``) with assurance ≥ ``id_card``, or an ID card read by
a card reader at a window or kiosk — never from a typed-in number. It keeps the keyed hash and the
masked number only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.actor import Actor
from yiwang.core.identity.cardreader import CardData, CardReader
from yiwang.core.roles import Assurance

from .crypto import holder_hash
from .idnumber import InvalidIdNumber, validate_id_number

_FACTORY = object()


class IdentityNotVerified(Exception):
    """The person's identity is not verified strongly enough; the message is user-facing."""


class VerifiedIdentity:
    __slots__ = ("id_hash", "masked_id", "source")

    def __init__(self, *args, **kwargs):
        raise TypeError("use VerifiedIdentity.from_actor(actor), .from_card_reader(reader) or .from_card(card)")

    @classmethod
    def _make(cls, id_number: str, source: str) -> VerifiedIdentity:
        from yiwang.core.masking import mask_id_number

        try:
            number = validate_id_number(id_number)
        except InvalidIdNumber:
            raise IdentityNotVerified(_("The verified ID number is not a valid ID number.")) from None
        obj = object.__new__(cls)
        object.__setattr__(obj, "id_hash", holder_hash(number))
        object.__setattr__(obj, "masked_id", mask_id_number(number))
        object.__setattr__(obj, "source", source)
        return obj

    def __setattr__(self, name, value):
        raise AttributeError("VerifiedIdentity is immutable")

    def __repr__(self) -> str:
        return f"VerifiedIdentity({self.masked_id}, source={self.source})"

    def __eq__(self, other) -> bool:
        return isinstance(other, VerifiedIdentity) and other.id_hash == self.id_hash

    def __hash__(self) -> int:
        return hash(self.id_hash)

    @classmethod
    def from_actor(cls, actor: Actor) -> VerifiedIdentity:
        """The logged-in user's identity, when a verified login set it and this session is strong enough."""
        if not isinstance(actor, Actor):
            raise TypeError("from_actor needs an Actor")
        user = actor.user
        if user is None or not getattr(user, "verified_id_number", ""):
            raise IdentityNotVerified(_("Your identity is not verified: log in with your ID card or government login."))
        if not actor.has_assurance(Assurance.ID_CARD):
            raise IdentityNotVerified(_("Log in again with your ID card or government login to use your licences."))
        return cls._make(user.verified_id_number, "account")

    @classmethod
    def from_card_reader(cls, reader: CardReader, timeout: float = 10.0) -> VerifiedIdentity:
        """Read the card now (the reader checks the chip's signature and refuses expired cards)."""
        if not isinstance(reader, CardReader):
            raise TypeError("from_card_reader needs a CardReader")
        return cls._from_card(reader.read(timeout=timeout))

    @classmethod
    def from_card(cls, card: CardData) -> VerifiedIdentity:
        """A card that a :class:`CardReader` has just returned (a window flow that read the card itself).

        Pass only the ``CardData`` that ``reader.read()`` returned — never one built from typed input;
        prefer :meth:`from_card_reader`, which cannot be misused that way.
        """
        if not isinstance(card, CardData):
            raise TypeError("needs the CardData returned by a CardReader")
        return cls._make(card.id_number, "card_reader")

    _from_card = from_card  # the name the applications context used first
