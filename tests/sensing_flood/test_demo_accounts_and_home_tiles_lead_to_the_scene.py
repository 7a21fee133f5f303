"""The operations centre and the leader find the flood scene: among their demo start pages and as a home
tile; the scene's other viewers (dispatchers) get the tile too, grid workers their inspection tasks."""

import pytest
from django.urls import resolve

from tests.factories import make_user
from yiwang.core.roles import Role
from yiwang.demo.orgs import OPENS
from yiwang.sensing.flood.permissions import SCENE_ROLES


@pytest.mark.parametrize("account", ["opscentre", "leader"])
def test_the_start_pages_of_the_operations_centre_and_the_leader_include_the_scene(account):
    assert "/flood/" in OPENS[account]
    assert resolve("/flood/").url_name == "scene"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.OPERATIONS_CENTRE, ["/flood/"], ["/flood/tasks/"]),
        (Role.LEADER, ["/flood/"], ["/flood/tasks/"]),
        (Role.DISPATCHER, ["/flood/"], ["/flood/tasks/"]),
        (Role.GRID_WORKER, ["/flood/tasks/"], ["/flood/"]),
        (Role.DEPARTMENT_HANDLER, [], ["/flood/", "/flood/tasks/"]),
        (Role.RESIDENT, [], ["/flood/", "/flood/tasks/"]),
    ],
)
def test_the_home_page_shows_the_flood_tiles_to_their_roles(client, role, shown, hidden):
    client.force_login(make_user(role))
    html = client.get("/").content.decode()
    for url in shown:
        assert f'href="{url}"' in html
    for url in hidden:
        assert f'href="{url}"' not in html
    assert ('href="/flood/"' in html) == (role in SCENE_ROLES)
