"""Default rule sets (pure data): the water steward (水管家) rules that meet the benchmark goal.

``WATER_STEWARD`` is what the demo seeds and the docs recommend for a smart water meter of an
elderly resident living alone: both rules notify the emergency contact first and open a home-visit
case (category ``LV-CARE-ELDER`` 独居老人关爱) when nobody acknowledges in time. Their figures on
500 synthetic households are in docs/benchmarks.md ("Water steward"); a district may trade delay
for fewer false alarms with a smaller ``alpha``.
"""

from __future__ import annotations

HOME_VISIT_CATEGORY = "LV-CARE-ELDER"

WATER_STEWARD: tuple[dict, ...] = (
    {
        "name": "No water use, improbable for this resident 用水异常静默",
        "kind": "quiet_likelihood",
        "condition": "inactivity",
        "params": {"alpha": 5e-4, "max_p": 0.9, "days": 28, "min_history_days": 14, "level": "orange"},
        "category_code": HOME_VISIT_CATEGORY,
        "escalation": "notify_first",
        "ack_timeout_minutes": 60,
    },
    {
        "name": "Water running, improbable for this resident 用水异常持续",
        "kind": "flow_likelihood",
        "condition": "leak",
        "params": {"alpha": 1e-4, "min_flow": 0.001, "max_p": 0.9, "days": 28, "level": "orange"},
        "category_code": HOME_VISIT_CATEGORY,
        "escalation": "notify_first",
        "ack_timeout_minutes": 60,
    },
)
