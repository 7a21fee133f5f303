"""Two clerks accept the same application at the same moment: one wins, the other gets Conflict."""

import threading

from django.db import connection
from django.utils import translation

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core.actions import Conflict
from yiwang.services.applications import actions
from yiwang.services.applications.models import Application, StatusChange
from yiwang.services.applications.states import Status


def test_two_clerks_accepting_at_once_one_wins_the_other_gets_a_conflict(transactional_db):
    resident = make_user()
    application = actions.create_application(
        as_actor(resident), situation=make_situation(materials=()), channel="online"
    )
    actions.submit(as_actor(resident), application)
    desks = [as_actor(clerk()), as_actor(clerk())]
    loaded = [Application.objects.get(pk=application.pk) for _ in desks]  # both pages show version n
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(desk, copy):
        translation.activate("en")  # a new thread starts without the test's language
        try:
            barrier.wait()
            actions.accept(desk, copy)
            outcomes.append("accepted")
        except Conflict as exc:
            outcomes.append(str(exc.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=pair) for pair in zip(desks, loaded, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == 2 and outcomes.count("accepted") == 1
    refused = next(o for o in outcomes if o != "accepted")
    assert application.code in refused and "changed by someone else" in refused
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED
    assert StatusChange.objects.filter(application=application, action="accept").count() == 1
