"""Adapters for tests: one that records what it 'sent', one that fails while told to."""

from yiwang.core.notify.adapters import Adapter, DeliveryError

SENT: list[tuple[int, str, str]] = []
FAIL = {"on": False}


class RecordingAdapter(Adapter):
    def send(self, notification):
        if FAIL["on"]:
            raise DeliveryError("gateway timeout")
        SENT.append((notification.pk, self.destination(notification), self.render_text(notification)))
