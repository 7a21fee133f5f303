"""Short words that mean different things in different places carry a translation context, so each
place gets its own Chinese word: the case status "Accepted" is not an application's acceptance date,
"Verify" a case on site is not verifying a licence, "On time" cases are not on-time rectifications."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from tests.operations_web.staff_world import case_in, client_for
from yiwang.operations.models import CaseStatus
from yiwang.operations.web.stats_queries import Period, performance_table
from yiwang.operations.web.story import status_words

# (context, word) → the Chinese this place should show; the bare word gets a different translation
CONTEXTUAL = {
    ("case status", "Accepted"): "案件已受理",
    ("case status", "Closed"): "案件已结案",
    ("case status", "closed"): "已结案的案件",
    ("check a case on site", "Verify"): "现场核查",
    ("cases handled by the deadline", "On time"): "按期办结",
}


@pytest.fixture
def catalogue():
    """Both the contextual and the bare entries in the Chinese catalogue (the lead writes the real ones)."""
    catalog = trans_real.translation("zh-hans")._catalog
    keys = []
    for (context, word), chinese in CONTEXTUAL.items():
        for key, value in ((f"{context}\x04{word}", chinese), (word, f"不是这个{word}")):
            keys.append(key)
            catalog[key] = value
    yield
    for part in catalog._catalogs:
        for key in keys:
            part.pop(key, None)


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def test_resident_status_words_use_the_case_status_context(catalogue):
    with translation.override("zh-hans"):
        assert status_words(CaseStatus.ACCEPTED) == "案件已受理"
        assert status_words(CaseStatus.CLOSED) == "案件已结案"


def test_the_on_time_column_of_the_statistics_uses_its_context(catalogue, world):
    with translation.override("zh-hans"):
        columns = [str(c) for c in performance_table(world.ops, Period()).columns]
    assert "按期办结" in columns and "不是这个On time" not in columns


def test_the_verify_page_title_and_the_public_map_legend_use_their_contexts(catalogue, world):
    case = case_in(world, "handled")
    title = client_for(world.grid_worker, "zh-hans").get(f"/ops/verify/{case.code}/").content.decode()
    assert "<title>现场核查" in title
    assert '<span lang="zh-Hans">核查' not in title  # no hard-coded Chinese beside the translated choices
    legend = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/report/map/").content.decode()
    assert "已结案的案件" in legend and "不是这个closed" not in legend
