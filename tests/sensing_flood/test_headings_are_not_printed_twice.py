"""The scene's headings and choices come from the translation catalogue only: no Chinese label printed
beside the translated English (which showed the Chinese twice in Chinese)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import login_as
from yiwang.core.actor import Actor
from yiwang.sensing.flood.actions import issue_checklist
from yiwang.sensing.flood.models import ChecklistItem, ChecklistTemplate

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")
# the headings and the phone page's big OK / problem choices (form field labels are the fields' own)
HEADINGS = re.compile(r"<(h1|h2|label class=\"big-choice[^\"]*\")[^>]*>(.*?)</(?:h1|h2|label)>", re.S)


def main(html: str) -> str:
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", body).strip() for _tag, body in HEADINGS.findall(html)]


def test_no_page_of_the_scene_prints_a_chinese_label_in_english(world, gauge, rule, client):
    from tests.sensing_flood.conftest import T0, raise_alert

    template = ChecklistTemplate.objects.create(code="t", name="Pre-flood", target="grid")
    ChecklistItem.objects.create(template=template, position=0, text="Drains clear")
    issued = issue_checklist(Actor(user=world.ops), template, due_on=timezone.localdate() + dt.timedelta(days=3))
    alert = raise_alert(rule, gauge, "red", T0)
    login_as(client, world.ops)
    pages = ["/flood/", "/flood/warnings/", "/flood/checklists/issue/", "/flood/duty/", "/flood/sites/",
             "/flood/report/", f"/flood/rounds/{issued.pk}/", f"/flood/alerts/{alert.pk}/"]  # fmt: skip
    seen, every = [], []
    for url in pages:
        html = main(client.get(url).content.decode())
        assert 'lang="zh-Hans"' not in html, url
        seen += [(url, h) for h in headings(html) if CJK.search(h)]
        every += headings(html)
    login_as(client, world.grid_worker)
    task = issued.tasks.get(grid_code="G1a")
    for url in ("/flood/tasks/", f"/flood/tasks/{task.pk}/"):
        html = main(client.get(url).content.decode())
        assert 'lang="zh-Hans"' not in html, url
        seen += [(url, h) for h in headings(html) if CJK.search(h)]
        every += headings(html)
    assert seen == []
    assert {"Flood and typhoon prevention", "Hot spots", "OK", "Problem", "Inspection tasks"} <= set(every)
