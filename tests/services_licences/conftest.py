"""Fixtures of the licence library tests: a department, licence types, ID numbers, a licence issuer."""

import itertools
from datetime import date, timedelta

import pytest

from tests.factories import make_department

_seq = itertools.count(1)


def id_number(region="110105", birth="19850312", seq=None) -> str:
    """A valid ID number: the check character computed here independently (weights 2^(17-i) mod 11)."""
    first17 = f"{region}{birth}{(seq if seq is not None else next(_seq) % 1000):03d}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    check = (12 - total % 11) % 11
    return first17 + ("X" if check == 10 else str(check))


@pytest.fixture
def department(db):
    return make_department(name="District Market Regulation Bureau", code="SCJGJ")


@pytest.fixture
def licence_type(department):
    from yiwang.services.catalogue.models import LicenceType

    return LicenceType.objects.create(code="BIZ_LICENCE", name="营业执照", issuing_department=department)


@pytest.fixture
def issue(licence_type, department):
    """issue(**overrides) → (licence, token), as the platform (the applications context on approval)."""
    from yiwang.core.actor import Actor
    from yiwang.services.licences.actions import issue_licence

    def _issue(**overrides):
        today = date.today()
        kwargs = {
            "licence_type": licence_type,
            "holder_id_number": id_number(),
            "holder_name": "张三",
            "valid_from": today - timedelta(days=10),
            "valid_until": today + timedelta(days=365),
            "issuer": department,
        }
        kwargs.update(overrides)
        return issue_licence(Actor.system(), **kwargs)

    return _issue


@pytest.fixture(autouse=True)
def _close_licence_status_listener():
    """On PostgreSQL a verification outside a transaction opens the process's listening connection, which
    would keep the test database open (and its DROP failing) after the session; close it after each test."""
    yield
    from yiwang.services.licences import verify_cache

    verify_cache.reset()
