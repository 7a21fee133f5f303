"""Adapters for tests: one that records what it 'sent', one that fails while told to."""

from yiwang.core.notify.adapters import Adapter, DeliveryError

SENT: list[tuple[int, str, str]] = []
FAIL = {"on": False}  # "only": a set of notification ids that fail while the others go out


class RecordingAdapter(Adapter):
    def send(self, notification):
        if FAIL["on"] or notification.pk in FAIL.get("only", ()):
            raise DeliveryError("gateway timeout")
        SENT.append((notification.pk, self.destination(notification), self.render_text(notification)))
