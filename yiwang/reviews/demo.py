"""Demo ratings (好差评) of both networks, so that the statistics page is alive after ``yiwang demo``.

* **Government services**: real service acts, run through the applications actions — window visits
  (four clerks at four windows, the resident typed in, the rating given on the spot, by QR code or by
  the SMS link), online matters (the demo resident) and kiosk sessions — each delivered (办结), which
  opens its rating, and most of them rated; a bad rating opens its rectification (the real path).
* **City operations**: a sample of the year's closed cases is rated in bulk (one audit row with a
  digest), with rating times after closure; bad ratings carry rectifications, most closed within the
  5 working days, some late, a few still open past their deadline.

Deterministic per seed; the step runs once (the seed's step table), and again changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.core.actions import action
from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.trail import BatchDigest, record_batch

from .models import Level, Network, Rating, RatingChannel, RatingOpportunity, Rectification, RectificationState

SERVICE_ACTS = 120
CASE_RATINGS = 2400
RATED_SHARE = 0.85
# the national platform's districts report about 99 % good ratings; the demo keeps a few bad ones to show
LEVEL_WEIGHTS = ((5, 70.0), (4, 18.0), (3, 7.0), (2, 3.5), (1, 1.5))
WINDOW_CLERKS = 4  # clerk (W01) exists; clerk2 … clerk4 at W02 … W04 are added here


def _level(rng: random.Random) -> int:
    return rng.choices([lv for lv, _w in LEVEL_WEIGHTS], weights=[w for _lv, w in LEVEL_WEIGHTS])[0]


def _id_number(rng: random.Random) -> str:
    from yiwang.services.licences.idnumber import check_character

    first17 = (
        f"310106{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    )
    return first17 + check_character(first17)


def _staff(actor: Actor) -> tuple[list, dict]:
    """The window clerks (with their windows) and an approver per department (the demo has one of each)."""
    from yiwang.core.models import User
    from yiwang.core.roles import Role
    from yiwang.demo.actions import seed_users
    from yiwang.demo.orgs import DEMO_PASSWORD, DEPARTMENTS, OPENS, SERVICE_CENTRE, UserSpec, department_code

    specs = [
        UserSpec(f"clerk{n}", Role.WINDOW_CLERK, f"{SERVICE_CENTRE}-W{n:02d}", f"综合窗口受理员{n}", OPENS["clerk"])
        for n in range(2, WINDOW_CLERKS + 1)
    ]
    specs += [
        UserSpec(f"approver-{key.lower()}", Role.APPROVER, department_code(key), f"{zh}审批员", OPENS["approver"])
        for key, zh, _en in DEPARTMENTS
        if key != "SCJG"
    ]
    seed_users(actor, specs, DEMO_PASSWORD)
    names = ["clerk"] + [f"clerk{n}" for n in range(2, WINDOW_CLERKS + 1)]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    clerks = [(users[name], f"W{n:02d}") for n, name in enumerate(names, start=1) if name in users]
    approvers = {department_code(key): f"approver-{key.lower()}" for key, _zh, _en in DEPARTMENTS}
    approvers[department_code("SCJG")] = "approver"
    by_name = {u.username: u for u in User.objects.filter(username__in=approvers.values())}
    return clerks, {code: by_name[name] for code, name in approvers.items() if name in by_name}


def _situations(channel: str, *, exemptible: bool = False):
    """Situations offered through ``channel``, across departments: needing no material (零材料), or —
    ``exemptible`` — asking at least one material and requiring only electronic licences (免交 for a
    holder of them)."""
    from django.db.models import Exists, OuterRef, Q

    from yiwang.services.catalogue.models import Material, Situation

    own = Material.objects.filter(situation=OuterRef("pk"))
    qs = Situation.objects.filter(item__active=True, **{channel: True})
    if exemptible:
        not_exempt = own.filter(required=True).filter(Q(source="applicant") | Q(licence_type__electronic=False))
        qs = qs.filter(Exists(own)).exclude(Exists(not_exempt))
    else:
        qs = qs.exclude(Exists(own))
    return list(qs.select_related("item", "item__department").order_by("item__code", "code"))


def _service_acts(actor: Actor, rng: random.Random) -> int:
    from yiwang.core.identity.accounts import account_for_card
    from yiwang.core.models import User
    from yiwang.services.applications import actions as apply
    from yiwang.services.kiosk import rating as kiosk_rating
    from yiwang.services.kiosk.demo import seed_card_licences
    from yiwang.services.kiosk.session import DEMO_CARD

    from . import actions as reviews

    resident = User.objects.filter(username="resident").first()
    clerks, approvers = _staff(actor)
    seed_card_licences(actor)  # the demo card's holder holds every electronic licence: materials exempted
    holder = account_for_card(Actor.system(Channel.KIOSK), DEMO_CARD.id_number, DEMO_CARD.name)

    def offered(channel, **kw):
        return [s for s in _situations(channel, **kw) if s.item.department.code in approvers]

    plain = {channel: offered(channel) for channel in ("window", "online")}
    exempt = {channel: offered(channel, exemptible=True) for channel in ("window", "kiosk")}
    if not clerks or not all(plain.values()) or not all(exempt.values()):
        return 0
    rated = 0
    for n in range(SERVICE_ACTS):
        channel = ("window", "window", "online", "kiosk")[n % 4] if resident else "window"
        clerk, window = rng.choice(clerks)
        at_desk = Actor(user=clerk, channel=Channel.WEB, assurance="password")
        if channel == "window" and n % 8 == 0:  # the demo card holder, read by the window's card reader
            situation = rng.choice(exempt["window"])
            application = apply.create_application(
                at_desk, situation=situation, channel="window", card=DEMO_CARD, window_code=window
            )
            applicant = at_desk
        elif channel == "window":  # someone without a card: typed in, so nothing can be exempted
            situation = rng.choice(plain["window"])
            application = apply.create_application(
                at_desk,
                situation=situation,
                channel="window",
                applicant_name=rng.choice("王李张刘陈杨黄赵吴周") + rng.choice("伟芳娜敏静强磊"),
                applicant_id_number=_id_number(rng),
                window_code=window,
            )
            applicant = at_desk
        elif channel == "kiosk":
            situation = rng.choice(exempt["kiosk"])
            applicant = Actor(user=holder, channel=Channel.KIOSK, assurance="id_card")
            application = apply.create_application(applicant, situation=situation, channel="kiosk", card=DEMO_CARD)
        else:
            situation = rng.choice(plain["online"])
            applicant = Actor(user=resident, channel=Channel.WEB)
            application = apply.create_application(applicant, situation=situation, channel=channel)
        application = apply.submit(applicant, application)
        session = kiosk_rating.offer(applicant, application) if channel == "kiosk" else None
        application = apply.accept(at_desk, application)
        back_office = Actor(user=approvers[situation.item.department.code], channel=Channel.WEB)
        application = apply.start_review(back_office, application)
        application = apply.approve(back_office, application)
        application = apply.deliver(at_desk, application)
        if rng.random() > RATED_SHARE:
            continue
        opportunity = session or RatingOpportunity.objects.get(
            subject_type="applications.application", subject_id=str(application.pk)
        )
        level = _level(rng)
        if channel == "window":  # the resident has no account: the token, from the pad, the QR code or SMS
            via = rng.choice((RatingChannel.ON_SPOT, RatingChannel.ON_SPOT, RatingChannel.QR_CODE, RatingChannel.SMS))
            reviews.rate(
                opportunity.token, opportunity, level, actor=Actor(user=None, channel=Channel.WEB), channel=via
            )
        else:
            reviews.rate(applicant, opportunity, level)
        rated += 1
    return rated


@action
def seed_case_ratings(actor: Actor, count: int = CASE_RATINGS, *, seed: int = 1) -> int:
    """Rate a sample of closed cases in bulk (the demo's year of history): one audit row for the batch."""
    from yiwang.operations.models import Case

    from .deadlines import due_after

    rng = random.Random(f"case-ratings-{seed}")
    rated = set(RatingOpportunity.objects.filter(subject_type="operations.case").values_list("subject_id", flat=True))
    closed = Case.objects.filter(status="closed", closed_at__isnull=False, department__isnull=False).order_by("pk")
    cases = [
        row for row in closed.values_list("pk", "department_id", "closed_at")[: count * 4] if str(row[0]) not in rated
    ]
    if not cases:
        return 0
    chosen = sorted(rng.sample(cases, min(count, len(cases))))
    now = timezone.now()
    batch = BatchDigest()
    opportunities = []
    for pk, department_id, closed_at in chosen:
        opportunities.append(
            RatingOpportunity(
                subject_type="operations.case",
                subject_id=str(pk),
                org_unit_id=department_id,
                network=Network.OPERATIONS,
                channel=rng.choice((RatingChannel.SMS, RatingChannel.SMS, RatingChannel.ONLINE)),
                policy="rectify",
                opened_at=closed_at,
                expires_at=closed_at + timedelta(days=30),
            )
        )
    RatingOpportunity.objects.bulk_create(opportunities, batch_size=1000)
    opened = RatingOpportunity.objects.filter(
        subject_type="operations.case", subject_id__in=[o.subject_id for o in opportunities]
    )
    ratings = []
    for opportunity in opened.order_by("pk"):
        level = _level(rng)
        rated_at = min(now, opportunity.opened_at + timedelta(hours=rng.uniform(0.5, 72)))
        ratings.append(
            Rating(
                opportunity=opportunity,
                level=level,
                is_bad=level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED),
                channel=opportunity.channel,
                rated_at=rated_at,
                follow_up=Rating.FollowUp.RECTIFICATION
                if level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
                else Rating.FollowUp.NONE,
            )
        )
        batch.add({"case": opportunity.subject_id, "level": level, "at": rated_at.isoformat()})
    Rating.objects.bulk_create(ratings, batch_size=1000)
    rectifications = []
    for rating in Rating.objects.filter(opportunity__in=opened, is_bad=True).select_related("opportunity"):
        due = due_after(rating.rated_at)
        fate = rng.random()
        if due > now:  # still within its 5 working days
            closed_at = None
        elif fate < 0.88:
            closed_at = rating.rated_at + (due - rating.rated_at) * rng.uniform(0.1, 0.9)
        elif fate < 0.97:
            closed_at = due + timedelta(hours=rng.uniform(2, 72))
        else:
            closed_at = None  # open past its deadline: the sweep escalates it
        rectifications.append(
            Rectification(
                rating=rating,
                org_unit_id=rating.opportunity.org_unit_id,
                state=RectificationState.CLOSED if closed_at else RectificationState.OPEN,
                opened_at=rating.rated_at,
                due_at=due,
                overdue=closed_at is None and due < now,
                closed_at=min(closed_at, now) if closed_at else None,
                action_taken="演示：已联系群众并整改" if closed_at else "",
                resident_satisfied=True if closed_at else None,
            )
        )
    Rectification.objects.bulk_create(rectifications, batch_size=1000)
    record_batch(actor, "reviews.demo.case_ratings", "reviews.rating", batch, label=f"demo-seed-{seed}")
    return len(ratings)


def seed(actor: Actor, district) -> dict:
    """The demo step "ratings": service acts rated through the real path, closed cases rated in bulk."""
    rng = random.Random(f"ratings-{district.seed}")
    with transaction.atomic():
        services = _service_acts(actor, rng)
    operations = seed_case_ratings(actor, seed=district.seed)
    return {"created": services + operations, "services": services, "operations": operations}
