"""A small known catalogue as an interchange document, and the departments it needs."""

import copy

import pytest

from tests.factories import make_department

SMALL = {
    "format": "yiwang-catalogue",
    "version": 1,
    "licence_types": [
        {"code": "BIZ_LICENCE", "name": "营业执照", "name_en": "Business licence", "issuing_department": "D-SC",
         "electronic": True},
        {"code": "ID_CARD", "name": "居民身份证", "name_en": "Resident ID card", "issuing_department": "D-GA",
         "electronic": True},
        {"code": "LEASE", "name": "房屋租赁登记备案证明", "name_en": "Lease registration", "issuing_department": "",
         "electronic": False},
    ],
    "items": [
        {
            "code": "310106-000201-01-001", "name": "食品经营许可（新办）", "name_en": "Food business licence (new)",
            "type": "licence", "department": "D-SC", "for_persons": False, "for_companies": True,
            "description": "", "active": True,
            "situations": [
                {"code": "own", "name": "自有场所", "name_en": "Own premises", "statutory_days": 20,
                 "promised_days": 5, "fee_fen": 0, "online": True, "window": True, "kiosk": False,
                 "on_the_spot": False, "max_visits": 1,
                 "materials": [
                     {"name": "申请书", "name_en": "Application form", "required": True, "source": "applicant",
                      "licence_type": ""},
                     {"name": "营业执照", "name_en": "Business licence", "required": True, "source": "licence",
                      "licence_type": "BIZ_LICENCE"},
                 ]},
                {"code": "rented", "name": "租赁场所", "name_en": "Rented premises", "statutory_days": 20,
                 "promised_days": 10, "fee_fen": 0, "online": True, "window": True, "kiosk": False,
                 "on_the_spot": False, "max_visits": 2,
                 "materials": [
                     {"name": "营业执照", "name_en": "Business licence", "required": True, "source": "licence",
                      "licence_type": "BIZ_LICENCE"},
                     {"name": "租赁证明", "name_en": "Lease registration", "required": False, "source": "licence",
                      "licence_type": "LEASE"},
                 ]},
                {"code": "chain", "name": "连锁门店", "name_en": "Chain store", "statutory_days": 10,
                 "promised_days": 10, "fee_fen": 5000, "online": True, "window": False, "kiosk": True,
                 "on_the_spot": True, "max_visits": 0, "materials": []},
            ],
            "questions": [
                {"code": "chain", "text": "是否连锁门店？", "text_en": "A chain store?", "options": [
                    {"code": "yes", "label": "是", "label_en": "Yes", "situations": ["chain"]},
                    {"code": "no", "label": "否", "label_en": "No", "situations": ["own", "rented"]},
                ]},
                {"code": "premises", "text": "经营场所？", "text_en": "Premises?", "options": [
                    {"code": "own", "label": "自有", "label_en": "Own", "situations": ["own"]},
                    {"code": "rented", "label": "租赁", "label_en": "Rented", "situations": ["rented"]},
                ]},
            ],
        },
        {
            "code": "310106-000305-00-00X", "name": "居住证明开具", "name_en": "Residence certificate",
            "type": "public_service", "department": "D-GA", "for_persons": True, "for_companies": False,
            "description": "开具居住证明", "active": True,
            "situations": [
                {"code": "01", "name": "本人办理", "name_en": "In person", "statutory_days": 5, "promised_days": 0,
                 "fee_fen": 0, "online": False, "window": True, "kiosk": True, "on_the_spot": True,
                 "max_visits": 1, "materials": []},
            ],
            "questions": [],
        },
    ],
}  # fmt: skip


@pytest.fixture
def departments(db):
    return {code: make_department(code=code, name=f"部门{code}") for code in ("D-GA", "D-SC")}


@pytest.fixture
def small_document():
    return copy.deepcopy(SMALL)


@pytest.fixture
def small_catalogue(departments, small_document):
    from yiwang.core.actor import Actor, Channel
    from yiwang.services.catalogue.importing import import_catalogue

    import_catalogue(Actor.system(Channel.CLI), copy.deepcopy(small_document))
    return small_document
