"""The questionnaire leads to exactly one situation; every answer path of a valid item ends in one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.services.catalogue.guide import QuestionSpec, dead_ends, guide, narrow
from yiwang.services.catalogue.models import Item

pytestmark = pytest.mark.django_db


def food():
    return Item.objects.get(code="310106-000201-01-001")


def test_first_question_then_the_second_then_one_situation(small_catalogue):
    situation, question = guide(food(), {})
    assert situation is None and question.code == "chain"
    situation, question = guide(food(), {"chain": "no"})
    assert situation is None and question.code == "premises"
    situation, question = guide(food(), {"chain": "no", "premises": "rented"})
    assert situation.code == "rented" and question is None


def test_a_question_that_no_longer_narrows_is_skipped(small_catalogue):
    situation, question = guide(food(), {"chain": "yes"})
    assert situation.code == "chain" and question is None


def test_answer_order_and_unknown_answers_do_not_matter(small_catalogue):
    assert guide(food(), {"premises": "own", "chain": "no"}).situation.code == "own"
    step = guide(food(), {"chain": "maybe"})
    assert step.question.code == "chain" and {o.code for o in step.options} == {"yes", "no"}


def test_an_item_with_one_situation_needs_no_question(small_catalogue):
    situation, question = guide(Item.objects.get(code="310106-000305-00-00X"), {})
    assert situation.code == "01" and question is None


def test_contradicting_answers_give_neither(small_catalogue):
    assert tuple(guide(food(), {"chain": "yes", "premises": "own"})) == (None, None)


@st.composite
def catalogues(draw):
    """Situations labelled by a few binary features; one question per feature."""
    n_features = draw(st.integers(1, 3))
    codes = draw(st.lists(st.tuples(*[st.booleans()] * n_features), min_size=1, max_size=8, unique=True))
    situations = ["s" + "".join("1" if b else "0" for b in c) for c in codes]
    questions = [
        QuestionSpec(f"q{f}", {"yes": frozenset(s for s in situations if s[1 + f] == "1"),
                               "no": frozenset(s for s in situations if s[1 + f] == "0")})
        for f in range(n_features)
    ]  # fmt: skip
    return situations, questions


@given(catalogues(), st.data())
def test_any_path_through_complete_guidance_ends_in_exactly_one_situation(catalogue, data):
    situations, questions = catalogue
    assert dead_ends(situations, questions) == []  # distinct feature vectors: complete guidance
    answers: dict = {}
    for _ in range(len(questions) + 1):
        step = narrow(situations, questions, answers)
        if step.situation is not None:
            assert step.question is None and step.situation in situations
            break
        assert step.question is not None and step.options
        answers[step.question] = data.draw(st.sampled_from(step.options))
    else:
        pytest.fail("guidance asked more questions than it has")
