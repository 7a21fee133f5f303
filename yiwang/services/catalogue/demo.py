"""A deterministic demo catalogue shaped like the paper's district (BRIEF §3).

802 items of the demo departments, 1,352 situations; 82 items and 134 situations need no material;
4,161 government-issued materials of which 3,891 (93.5 %) are electronic licences applicants need
not submit; promised time limits on average about 70 % shorter than statutory ones; 68 % of the
situations done on the spot; over 95 % need at most one visit. Names are invented but plausible
(``demo_data``). ``build_catalogue(seed)`` returns an interchange document; the same seed always
gives the same document.
"""

from __future__ import annotations

import random

from yiwang.demo.orgs import DEPARTMENTS, department_code

from .demo_data import ACTIONS, ALWAYS_OFFERED, BINARY, LICENCE_TYPES, SUBJECTS, TERNARY, item_name
from .interchange import FORMAT, VERSION

ITEMS = 802
SITUATIONS = 1352
NO_MATERIAL_ITEMS = 82
NO_MATERIAL_SITUATIONS = 134
GOVERNMENT_MATERIALS = 4161
NOT_ELECTRONIC = 270  # 1 − 270/4161 = 93.51 % exemptible
ON_THE_SPOT = round(0.68 * SITUATIONS)
TWO_VISITS = 30  # 2.2 %: 97.8 % of situations, over 96 % of items at most one visit
NO_VISIT = 400  # online only (不见面审批)
STATUTORY = (20, 20, 20, 15, 15, 10, 10, 30, 30, 60, 5, 7)
PROMISE_FACTORS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.3, 0.35, 0.4, 0.45)
MAX_GOV_PER_SITUATION = 8


def licence_types() -> list[dict]:
    return [
        {"code": code, "name": zh, "name_en": en, "issuing_department": department_code(dept), "electronic": electronic}
        for code, zh, en, dept, electronic in sorted(LICENCE_TYPES)
    ]


def _item_heads(rng: random.Random) -> list[dict]:
    candidates = []
    for d, (key, _zh, _en) in enumerate(DEPARTMENTS, start=1):
        for s, (zh, en, kind, audience) in enumerate(SUBJECTS[key], start=1):
            for a, (azh, aen) in enumerate(ACTIONS[kind], start=1):
                candidates.append((d, s, a, key, zh, en, kind, audience, azh, aen))
    always = {n for n, c in enumerate(candidates) if (c[4], c[8]) in ALWAYS_OFFERED}
    others = [n for n in range(len(candidates)) if n not in always]
    chosen = sorted(always | set(rng.sample(others, ITEMS - len(always))))
    heads = []
    for n in chosen:
        d, s, a, key, zh, en, kind, audience, azh, aen = candidates[n]
        heads.append({
            "code": f"310106-{d:02d}{s:02d}{a:02d}-01-001", "name": item_name(zh, azh),
            "name_en": f"{en[0].upper()}{en[1:]} — {aen}",
            "type": kind, "department": department_code(key), "for_persons": audience in "PB",
            "for_companies": audience in "CB", "description": "", "active": True,
        })  # fmt: skip
    return heads


def _spread(rng: random.Random, slots: list[int], extra: int, cap: int) -> None:
    """Add ``extra`` units to random ``slots``, none above ``cap``."""
    while extra:
        i = rng.randrange(len(slots))
        if slots[i] < cap:
            slots[i] += 1
            extra -= 1


def _variants(rng: random.Random, k: int, audience: str) -> tuple[list[tuple[str, str, str]], list[dict]]:
    """``k`` situations (code, zh, en) and the questions that single each out."""
    side = "C" if audience == "C" else "P"
    if k == 1:
        return [("01", "一般情形", "general case")], []
    if k == 3:
        dims = [TERNARY[side]]
    else:
        dims = rng.sample(BINARY[side], 1 if k == 2 else 2)
    combos: list[tuple[tuple[str, str, str], ...]] = [()]
    for _code, _q, _qen, options in dims:
        combos = [c + (o,) for c in combos for o in options]
    situations = [
        ("-".join(o[0] for o in combo), "·".join(o[1] for o in combo), ", ".join(o[2] for o in combo))
        for combo in combos
    ]
    questions = []
    for n, (code, text, text_en, options) in enumerate(dims):
        questions.append({
            "code": code, "text": text, "text_en": text_en,
            "options": [{"code": o[0], "label": o[1], "label_en": o[2],
                         "situations": [s[0] for s, c in zip(situations, combos, strict=True) if c[n][0] == o[0]]}
                        for o in options],
        })  # fmt: skip
    return situations, questions


def build_catalogue(seed: int = 1) -> dict:
    rng = random.Random(f"catalogue-{seed}")
    items = _item_heads(rng)
    counts = [1] * ITEMS
    _spread(rng, counts, SITUATIONS - ITEMS, 4)
    singles = [i for i, c in enumerate(counts) if c == 1]
    empty_items = set(rng.sample(singles, NO_MATERIAL_ITEMS))
    # the other no-material situations: at most one per item with several situations
    multi = [i for i, c in enumerate(counts) if c > 1]
    empty_in = set(rng.sample(multi, NO_MATERIAL_SITUATIONS - NO_MATERIAL_ITEMS))
    all_situations: list[dict] = []
    for i, item in enumerate(items):
        audience = "C" if item["for_companies"] and not item["for_persons"] else "P"
        variants, questions = _variants(rng, counts[i], audience)
        item["questions"] = questions
        item["situations"] = []
        empty_at = rng.randrange(counts[i]) if i in empty_in else -1
        for n, (code, zh, en) in enumerate(variants):
            statutory = rng.choice(STATUTORY)
            sit = {
                "code": code, "name": zh, "name_en": en, "statutory_days": statutory,
                "promised_days": max(1, round(statutory * rng.choice(PROMISE_FACTORS))), "fee_fen": 0,
                "online": True, "window": True, "kiosk": rng.random() < 0.55, "on_the_spot": False, "max_visits": 1,
                "materials": [], "_empty": i in empty_items or n == empty_at,
            }  # fmt: skip
            if rng.random() < 0.05:
                sit["fee_fen"] = rng.choice((1000, 2000, 5000, 10000, 20000))
            item["situations"].append(sit)
            all_situations.append(sit)
    for n in rng.sample(range(SITUATIONS), ON_THE_SPOT):
        all_situations[n]["on_the_spot"] = True
    visits = rng.sample(range(SITUATIONS), NO_VISIT + TWO_VISITS)
    for n in visits[:NO_VISIT]:
        all_situations[n].update(max_visits=0, window=False, online=True)
    for n in visits[NO_VISIT:]:
        all_situations[n]["max_visits"] = 2
    _materials(rng, [s for s in all_situations if not s["_empty"]])
    for s in all_situations:
        del s["_empty"]
    always = {item_name(*pair) for pair in ALWAYS_OFFERED}
    for item in items:  # the one-thing bundles' items: every situation at the kiosk too
        if item["name"] in always:
            for sit in item["situations"]:
                sit["kiosk"] = True
    return {"format": FORMAT, "version": VERSION, "licence_types": licence_types(), "items": items}


def _materials(rng: random.Random, situations: list[dict]) -> None:
    electronic = [lt for lt in LICENCE_TYPES if lt[4]]
    paper = [lt for lt in LICENCE_TYPES if not lt[4]]
    per = [1] * len(situations)
    _spread(rng, per, GOVERNMENT_MATERIALS - len(situations), MAX_GOV_PER_SITUATION)
    with_paper = set(rng.sample(range(len(situations)), NOT_ELECTRONIC))
    for n, sit in enumerate(situations):
        kinds = rng.sample(electronic, per[n] - (n in with_paper))
        if n in with_paper:
            kinds.append(rng.choice(paper))
        materials = []
        if rng.random() < 0.7:
            materials.append(_applicant("申请表", "Application form", True))
        for code, zh, en, _dept, _e in kinds:
            materials.append({"name": zh, "name_en": en, "required": rng.random() < 0.9, "source": "licence",
                              "licence_type": code})  # fmt: skip
        if "proxy" in sit["code"].split("-"):
            materials.append(_applicant("授权委托书", "Power of attorney", True))
        elif rng.random() < 0.1:
            materials.append(_applicant("其他补充材料", "Other supporting documents", False))
        sit["materials"] = materials


def _applicant(zh: str, en: str, required: bool) -> dict:
    return {"name": zh, "name_en": en, "required": required, "source": "applicant", "licence_type": ""}
