"""POST requests: check an Open311 form, then report the case through the operations context.

Everything the spec lets a client get wrong is checked first and reported together (400); what the
case action refuses comes back the same way. The case and the submission row are written in one
transaction, so a refused request leaves nothing behind.
"""

from __future__ import annotations

import base64
import math
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.actor import Actor, Channel
from yiwang.core.bulkinsert import insert_objects
from yiwang.operations.actions import Reporter
from yiwang.operations.actions.intake import prepare_report, write_report
from yiwang.operations.models import CaseChannel, Category, Discovery
from yiwang.operations.questions import AnswerError, clean_answer

from . import places, queued
from .conf import conf
from .models import CLIENT_FIELDS, ApiKey, QueuedRequest, Submission
from .services import Open311Error, service_by_code
from .writer import writer_turn

# the case channel Open311 reports are recorded under: the external-apps channel when the operations
# context has one, else residents' reports (随身拍), which is what Open311 clients are
CASE_CHANNEL = getattr(CaseChannel, "OPEN311", CaseChannel.PHOTO_REPORT)
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,30}$")
LIMITS = {
    "first_name": 50,
    "last_name": 50,
    "phone": 32,
    "email": 254,
    "device_id": 100,
    "account_id": 100,
    "address_string": 300,
    "address_id": 64,
    "zipcode": 16,
    "media_url": 500,
    "description": 4000,
}
ANSWER_PROBLEMS = {
    "too_long": _("attribute[%(code)s] is too long."),
    "not_a_number": _("attribute[%(code)s] must be a number."),
    "not_a_datetime": _("attribute[%(code)s] must be a date and time in ISO 8601."),
    "one_value": _("attribute[%(code)s] takes exactly one value."),
    "not_a_choice": _("attribute[%(code)s] is not one of the keys listed in the service definition."),
}


@dataclass(frozen=True)
class ClientActor(Actor):
    """The system acting for one Open311 client: the audit trail names the client."""

    client: str = ""

    @property
    def label(self) -> str:
        return f"open311:{self.client}"


@dataclass
class Form:
    category: Category | None = None
    lon: float | None = None
    lat: float | None = None
    coord_system: str = "wgs84"
    address: str = ""
    answers: dict = field(default_factory=dict)
    text: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


def new_token() -> str:
    return base64.b32encode(secrets.token_bytes(15)).decode().lower()


def _texts(post, form: Form) -> None:
    for name, limit in LIMITS.items():
        value = (post.get(name) or "").strip()
        if CONTROL_RE.search(value):
            form.errors.append(_("%(field)s contains a control character.") % {"field": name})
            value = CONTROL_RE.sub("", value)
        if len(value) > limit:
            form.errors.append(
                _("%(field)s is longer than %(limit)s characters.") % {"field": name, "limit": f"{limit:,}"}
            )
        form.text[name] = value
    if form.text["email"]:
        try:
            validate_email(form.text["email"])
        except ValidationError:
            form.errors.append(_("email “%(value)s” is not an e-mail address.") % {"value": form.text["email"][:80]})
    if form.text["phone"] and not PHONE_RE.match(form.text["phone"]):
        form.errors.append(_("phone may hold only digits, spaces, brackets, hyphens and a leading +."))
    if form.text["media_url"]:
        try:
            URLValidator(schemes=["http", "https"])(form.text["media_url"])
        except ValidationError:
            form.errors.append(_("media_url must be an http or https URL."))


def _service(post, form: Form) -> None:
    code = (post.get("service_code") or "").strip()
    if not code:
        form.errors.append(_("service_code is required (see services.xml for the codes)."))
        return
    form.category = service_by_code(code)
    if form.category is None:
        form.errors.append(
            _("service_code “%(code)s” is not a service of this jurisdiction (see services.xml).") % {"code": code[:64]}
        )


def _number(post, name: str, low: float, high: float, form: Form) -> float | None:
    raw = (post.get(name) or "").strip()
    try:
        value = float(raw)
    except ValueError:
        form.errors.append(_("%(field)s “%(value)s” is not a number.") % {"field": name, "value": raw[:40]})
        return None
    if not math.isfinite(value) or not low <= value <= high:
        form.errors.append(
            _("%(field)s must lie between %(low)s and %(high)s.") % {"field": name, "low": low, "high": high}
        )
        return None
    return value


def _location(post, form: Form) -> None:
    has_lat, has_long = bool((post.get("lat") or "").strip()), bool((post.get("long") or "").strip())
    form.coord_system = (post.get("coord_system") or conf("COORD_SYSTEM")).strip().lower()
    if form.coord_system not in places.SYSTEMS:
        form.errors.append(
            _("coord_system “%(value)s” is unknown: use wgs84, gcj02 or bd09.") % {"value": form.coord_system[:20]}
        )
        return
    if has_lat != has_long:
        form.errors.append(_("lat and long go together: send both, or neither."))
        return
    form.address = form.text["address_string"]
    if has_lat:
        form.lat = _number(post, "lat", -90, 90, form)
        form.lon = _number(post, "long", -180, 180, form)
        if form.lat is None or form.lon is None:
            return
    elif form.text["address_id"]:
        spot = places.by_address_id(form.text["address_id"])
        if spot is None:
            form.errors.append(
                _("address_id “%(value)s” is not a known building, point or area.") % {"value": form.text["address_id"]}
            )
            return
        form.lon, form.lat, form.coord_system = spot.lon, spot.lat, "wgs84"
        form.address = form.address or spot.name
    elif form.text["address_string"]:
        spot = places.by_address_string(form.text["address_string"])
        if spot is None:
            form.errors.append(
                _(
                    "address_string names no residential area or building known here; "
                    "send lat and long, or an address_id."
                )
            )
            return
        form.lon, form.lat, form.coord_system = spot.lon, spot.lat, "wgs84"
    else:
        form.errors.append(_("The location is required: lat and long, or address_string, or address_id."))
        return
    if places.outside(form.lon, form.lat, form.coord_system):
        form.errors.append(
            _("The location (lat %(lat)s, long %(lon)s) lies outside this jurisdiction.")
            % {"lat": round(form.lat, 6), "lon": round(form.lon, 6)}
        )


def _raw_attributes(post, form: Form) -> dict:
    raw: dict = {}
    for key in post:
        if not key.startswith("attribute"):
            continue
        match = ATTRIBUTE_RE.match(key)
        if match is None:
            form.errors.append(
                _("“%(key)s” is not a well-formed attribute: use attribute[CODE] or attribute[CODE][].")
                % {"key": key[:60]}
            )
            continue
        code = match.group(1)
        values = [v.strip() for v in post.getlist(key) if v.strip()]
        if any(CONTROL_RE.search(v) for v in values):
            form.errors.append(_("attribute[%(code)s] contains a control character.") % {"code": code[:40]})
            continue
        raw.setdefault(code, []).extend(values)
    return raw


def _attributes(post, form: Form) -> None:
    raw = _raw_attributes(post, form)
    if form.category is None:
        return
    questions = {q["code"]: q for q in form.category.questions or []}
    for code in raw:
        if code not in questions:
            form.errors.append(
                _("attribute[%(code)s] is not an attribute of service %(service)s.")
                % {"code": code[:40], "service": form.category.code}
            )
    for code, question in questions.items():
        value = raw.get(code) or []
        if not value:
            if question.get("required") and question.get("variable", True):
                form.errors.append(
                    _("attribute[%(code)s] is required for service %(service)s.")
                    % {"code": code, "service": form.category.code}
                )
            continue
        if question["datatype"] != "multivaluelist":
            if len(value) > 1:
                form.errors.append(ANSWER_PROBLEMS["one_value"] % {"code": code})
                continue
            value = value[0]
        try:
            form.answers[code] = clean_answer(question, value)
        except AnswerError as exc:
            form.errors.append(ANSWER_PROBLEMS.get(exc.problem, ANSWER_PROBLEMS["not_a_choice"]) % {"code": code})


def read_form(post) -> Form:
    """Every check of an Open311 POST, the errors collected in ``form.errors``."""
    form = Form()
    _texts(post, form)
    _service(post, form)
    _location(post, form)
    _attributes(post, form)
    return form


def submit(post, key: ApiKey, client_ip: str | None) -> Submission | QueuedRequest:
    """Report the case of a valid form; raise :class:`Open311Error` (400/403) otherwise. Nothing is half-saved.

    In queued mode a token key's valid form is queued instead (:mod:`.queued`): the answer is the queue row.
    """
    form = read_form(post)
    if form.errors:
        raise Open311Error(400, *form.errors)
    token = new_token()
    if queued.wanted(key):
        return queued.enqueue(form, key, client_ip, token)
    t = form.text
    actor = ClientActor(channel=Channel.OPEN311, client_ip=client_ip, client=key.name)
    description = t["description"] or form.category.name  # stored data: the category's own name
    try:
        # report_case in two halves: its checks, place and routing need no lock, so on SQLite they run
        # before this server's turn to write, which then covers only the duplicate search and the inserts
        new = prepare_report(
            actor,
            channel=CASE_CHANNEL,
            discovery=Discovery.PASSIVE,
            category=form.category,
            lon=form.lon,
            lat=form.lat,
            coord_system=form.coord_system,
            address=form.address,
            description=description,
            reporter=Reporter(name=f"{t['first_name']} {t['last_name']}".strip(), phone=t["phone"]),
            answers=form.answers,
            external_ref=f"open311:{token}",
        )
        with writer_turn(), transaction.atomic():
            # the action's second half in this one transaction (no savepoint): the submission row belongs to it
            case = write_report(
                new, lon=form.lon, lat=form.lat, coord_system=form.coord_system, probe_at=timezone.now()
            )
            submission = Submission(
                case=case,
                api_key=key,
                token=token,
                **{name: t[name] for name in CLIENT_FIELDS},
                created_at=case.created_at or timezone.now(),
            )
            insert_objects([submission])
            return submission
    except PermissionDenied as exc:
        raise Open311Error(403, exc.message)
    except ActionError as exc:
        raise Open311Error(400, exc.message)
