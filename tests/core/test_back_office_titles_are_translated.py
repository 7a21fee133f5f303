"""The back office's header, browser title and index title are translatable, not fixed strings."""

import pytest
from django.utils.translation import trans_real

from tests.factories import make_user
from yiwang.core.roles import Role

ZH = {
    "yiwang 一网 · back office 后台": "一网后台（测试译文）",
    "yiwang 一网": "一网（测试译文）",
    "Back office 后台管理": "后台管理（测试译文）",
}


@pytest.fixture
def catalogue():
    catalog = trans_real.translation("zh-hans")._catalog
    for key, value in ZH.items():
        catalog[key] = value
    yield
    for part in catalog._catalogs:
        for key in ZH:
            part.pop(key, None)


@pytest.mark.django_db
def test_the_admin_titles_follow_the_language(client, catalogue):
    client.force_login(make_user(Role.SYSTEM_ADMIN, username="sysadmin", is_staff=True))
    zh = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "一网后台（测试译文）" in zh and "后台管理（测试译文）" in zh and "一网（测试译文）</title>" in zh
    en = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "yiwang 一网 · back office 后台" in en and "Back office 后台管理" in en
