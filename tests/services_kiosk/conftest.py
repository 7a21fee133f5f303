"""The kiosk's tests run with the simulated card reader (a fresh one per test)."""

import pytest

from yiwang.core.identity import cardreader

SIMULATED = "yiwang.core.identity.cardreader.SimulatedCardReader"


@pytest.fixture
def card_reader(settings):
    settings.IDENTITY = {**getattr(settings, "IDENTITY", {}), "CARD_READER": SIMULATED}
    reader = cardreader.SimulatedCardReader()
    cardreader.set_reader(reader)
    yield reader
    cardreader.set_reader(None)
