"""Catalogue rows for kiosk tests: an item whose guidance asks one question between two situations."""

from tests.services_applications.helpers import make_situation
from yiwang.services.catalogue.models import Option, Question, Situation


def item_with_question(department=None, *, licences=("BIZ_LICENCE",)):
    """An item with situations "first" (kiosk) and "renewal" (kiosk); one question picks between them."""
    first = make_situation(department, materials=(), licences=licences, kiosk=True)
    item = first.item
    renewal = Situation.objects.create(
        item=item, code=f"{first.code}r", name="Renewal", statutory_days=20, promised_days=3, kiosk=True, position=1
    )
    question = Question.objects.create(item=item, code="kind", text="Is this your first application?")
    yes = Option.objects.create(question=question, code="first", label="Yes, the first", position=0)
    no = Option.objects.create(question=question, code="renew", label="No, a renewal", position=1)
    yes.situations.add(first)
    no.situations.add(renewal)
    return item, first, renewal
