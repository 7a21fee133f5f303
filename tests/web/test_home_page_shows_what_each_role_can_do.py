import pytest
from django.utils import translation

from tests.factories import make_user
from yiwang.core.roles import Role


@pytest.mark.django_db
def test_anonymous_visitor_sees_the_resident_tiles_and_a_login(client):
    html = client.get("/").content.decode()
    assert 'href="/report/"' in html
    assert 'href="/report/track/"' in html
    assert 'href="/accounts/login/"' in html
    assert 'href="/ops/queue/"' not in html
    assert 'href="/hotline/"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        (Role.DISPATCHER, "/ops/queue/", "/hotline/"),
        (Role.HOTLINE_OPERATOR, "/hotline/", "/ops/queue/"),
        (Role.GRID_WORKER, "/ops/verify/", "/ops/inbox/"),
        (Role.DEPARTMENT_HANDLER, "/ops/inbox/", "/ops/verify/"),
    ],
)
def test_each_role_gets_its_own_start_tile(client, role, shown, hidden):
    client.force_login(make_user(role))
    html = client.get("/").content.decode()
    assert f'href="{shown}"' in html
    assert f'href="{hidden}"' not in html


@pytest.mark.django_db
def test_the_language_switcher_changes_the_page_language(client):
    with translation.override("zh-hans"):
        chinese = translation.gettext("Report a problem")
    assert chinese != "Report a problem", "the zh-Hans catalogue must translate the home page"
    zh = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh-hans"' in zh
    assert chinese in zh
    assert "Report a problem" not in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="en"' in en
    assert "Report a problem" in en
