"""The bundles' section of ``yiwang services stats`` and of /services/stats/: time and materials saved."""

from __future__ import annotations

from .models import Bundle, BundleApplication
from .plan import comparison


def _mean(values) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


def bundle_stats() -> dict:
    bundles = Bundle.objects.filter(active=True).prefetch_related(
        "parts__situation__materials", "parts__situation__item"
    )
    compared = [comparison(part.situation for part in bundle.parts.all()) for bundle in bundles]
    compared = [c for c in compared if c["parts"]]
    return {
        "bundles": len(compared),
        "applications": BundleApplication.objects.count(),
        "average_parts": _mean(c["parts"] for c in compared),
        "average_departments": _mean(c["departments"] for c in compared),
        "average_promised_days_bundle": _mean(c["promised_days_bundle"] for c in compared),
        "average_promised_days_separate": _mean(c["promised_days_separate"] for c in compared),
        "average_materials_bundle": _mean(c["materials_bundle"] for c in compared),
        "average_materials_separate": _mean(c["materials_separate"] for c in compared),
    }
