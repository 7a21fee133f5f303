"""The demo seeds ratings of both networks: service acts rated through the real path (window, online,
kiosk; window ratings given on the spot, by QR code or SMS link, with the window and clerk), closed cases
rated in bulk with rectifications; the statistics page shows both."""

import pytest

from tests.factories import login_as
from yiwang.core.models import User
from yiwang.demo.seed import seed_demo
from yiwang.reviews import queries
from yiwang.reviews.models import Rating, RatingOpportunity, Rectification

STEPS = ("org_units", "users", "territory", "catalogue", "categories", "history", "ratings")


@pytest.mark.django_db
def test_the_demo_rates_service_acts_and_cases(settings, client):
    settings.DEMO_HISTORY_CASES = 1500
    report = seed_demo(4, steps=STEPS)
    summary = report.summaries["ratings"]
    assert summary["services"] > 50 and summary["operations"] > 100
    services = RatingOpportunity.objects.filter(network="services")
    assert {o.channel for o in services} == {"on_spot", "online", "kiosk"}
    window = services.filter(channel="on_spot")
    assert window.exists() and all(o.window_code and o.clerk_id and o.item_code for o in window)
    assert len({o.clerk_id for o in window}) >= 2 and len({o.window_code for o in window}) >= 2
    window_ratings = Rating.objects.filter(opportunity__in=window)
    assert {"on_spot", "qr_code", "sms"} <= set(window_ratings.values_list("channel", flat=True))
    by_network = {row.key: row.total for row in queries.rating_stats(by="network")}
    assert by_network["services"] == summary["services"] and by_network["operations"] == summary["operations"]
    assert Rectification.objects.filter(rating__opportunity__network="operations", state="closed").exists()
    assert Rectification.objects.count() == Rating.objects.filter(is_bad=True).count()
    # the demo card's holder holds the electronic licences: kiosk and card-read window applications exempt them
    from yiwang.services.applications.queries import application_stats

    figures = application_stats()
    assert figures["government_materials_exempted_share"] > 0.9 and figures["materials_per_application"] > 0
    assert services.filter(channel="kiosk", window_code="KIOSK-01").exists()
    # the step runs once
    again = seed_demo(4, steps=STEPS)
    assert "ratings" in again.skipped and Rating.objects.count() == sum(by_network.values())
    login_as(client, User.objects.get(username="leader"))
    page = client.get("/reviews/stats/").content.decode()
    assert "一网通办" in page and "一网统管" in page
