"""The demo catalogue imports through the batch action, gives the paper's figures, and re-imports as a no-op."""

import pytest

from tests.factories import make_department
from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.models import AuditEvent
from yiwang.demo.orgs import DEPARTMENTS, department_code
from yiwang.services.catalogue.demo import build_catalogue
from yiwang.services.catalogue.importing import import_catalogue
from yiwang.services.catalogue.queries import catalogue_stats


@pytest.mark.django_db
def test_demo_catalogue_stats_and_idempotent_reimport():
    for key, zh, _en in DEPARTMENTS:
        make_department(code=department_code(key), name=zh)
    actor = Actor.system(Channel.CLI)
    document = build_catalogue(1)
    first = import_catalogue(actor, document)
    assert (first.created, first.counts["situations"]) == (802, 1352)
    s = catalogue_stats()
    assert (s["items"], s["situations"]) == (802, 1352)
    assert s["no_material"] == {"items": 82, "situations": 134}
    issued = s["government_issued_materials"]
    assert issued["count"] == 4161 and 0.935 <= issued["exemptible_share"] <= 0.936
    assert 0.65 <= s["time_limits"]["average_reduction"] <= 0.75
    assert 0.675 <= s["on_the_spot"]["share"] <= 0.685
    assert s["at_most_one_visit"]["share"] > 0.95 and s["at_most_one_visit"]["items_share"] > 0.95
    audit = AuditEvent.objects.count()
    again = import_catalogue(actor, document)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 802)
    assert AuditEvent.objects.count() == audit + 1  # the batch row only
