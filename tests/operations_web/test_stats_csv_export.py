"""CSV export of every statistics table: UTF-8 with a BOM, the page's numbers, never personal data."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations_web.staff_world import case_in, client_for
from yiwang.operations.models import Category
from yiwang.operations.web.stats_queries import TABLES, Period, build_table


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def read_csv(response) -> list[list[str]]:
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_every_table_exports_its_rows_without_personal_data(world):
    from yiwang.operations.actions import Reporter

    case_in(world, "handled")
    case_in(world, "registered", reporter=Reporter(name="王小明", phone="13700001111"))
    today = timezone.localdate()
    query = {"since": (today - timedelta(days=3)).isoformat(), "until": today.isoformat()}
    client = client_for(world.ops)
    for key in TABLES:
        response = client.get(f"/ops/stats/{key}.csv", query)
        assert response.status_code == 200, key
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith(f'attachment; filename="yiwang-{key}-')
        lines = read_csv(response)
        table = build_table(key, world.ops, Period(today - timedelta(days=3), today))
        assert lines[0] == table.columns
        assert lines[1:] == [[str(c) for c in row] for row in table.rows]
        text = response.content.decode("utf-8-sig")
        for secret in ("13912345678", "13700001111", "王小明", "李四", "S1 road 1"):
            assert secret not in text, (key, secret)


def test_chinese_labels_survive_the_round_trip(world):
    case_in(world, "registered")
    lines = read_csv(client_for(world.ops).get("/ops/stats/category.csv"))
    assert lines[1] == ["市容环境 › 暴露垃圾", "1"]


def test_a_label_that_looks_like_a_formula_is_neutralised(world):
    Category.objects.filter(pk=world.environment.pk).update(name='=HYPERLINK("http://evil")')
    case_in(world, "registered")
    lines = read_csv(client_for(world.ops).get("/ops/stats/category.csv"))
    assert lines[1][0].startswith("'")


def test_unknown_table_and_bad_period(world):
    client = client_for(world.ops)
    assert client.get("/ops/stats/people.csv").status_code == 404
    bad = client.get("/ops/stats/channel.csv", {"since": "2026-05-02", "until": "2026-05-01"})
    assert bad.status_code == 400
