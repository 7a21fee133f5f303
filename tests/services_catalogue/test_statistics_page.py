"""The paper's figures on a public page (/services/stats/) and as JSON there and from
`yiwang services stats`: the same sections — catalogue, applications, bundles."""

import json

import pytest
from django.core.management import call_command

from yiwang.services.bundles.models import Bundle, BundlePart
from yiwang.services.catalogue.models import Situation

pytestmark = pytest.mark.django_db


def _bundle():
    bundle = Bundle.objects.create(code="two", name="两件事")
    for position, situation in enumerate(Situation.objects.filter(code__in=("own", "01")).order_by("code")):
        BundlePart.objects.create(bundle=bundle, situation=situation, position=position)
    return bundle


def test_the_page_shows_the_papers_figures(small_catalogue, client):
    _bundle()
    html = client.get("/services/stats/").content.decode()
    assert 'id="paper-stats"' in html
    assert "2 / 4 / 4" in html  # items / situations / materials
    assert "2 / 3 (66.7 %)" in html  # government-issued materials exemptible
    assert "56.2 %" in html or "56.3 %" in html  # time limits shortened (mean 0.5625)
    assert "75.0 %" in html and "50.0 %" in html  # at most one visit; on the spot
    assert 'id="bundle-stats"' in html and 'id="stats-json"' in html


def test_the_json_on_the_page_and_from_the_command_are_the_same(small_catalogue, client, capsys):
    _bundle()
    page = json.loads(client.get("/services/stats/", {"format": "json"}).content)
    call_command("services", "stats")
    command = json.loads(capsys.readouterr().out)
    assert page == command
    assert {"catalogue", "applications", "bundles"} <= set(page)
    bundles = page["bundles"]
    assert bundles["bundles"] == 1 and bundles["applications"] == 0
    assert bundles["average_promised_days_bundle"] <= bundles["average_promised_days_separate"]
    assert bundles["average_materials_bundle"] <= bundles["average_materials_separate"]
    assert page["applications"]["applications"] == 0
