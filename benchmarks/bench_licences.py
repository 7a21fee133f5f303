"""Licence verification rate and the exemption check, in-process (no HTTP).

    .venv/bin/python benchmarks/bench_licences.py [--licences 2000] [--seconds 3] [--db sqlite|postgres]

Prepares a scratch database (SQLite in a temporary folder, or a scratch PostgreSQL database from
BENCH_PG_URL), a synthetic catalogue of the demo district's size (802 items, 1,352 situations, 4,161
government-issued materials, 93.5 % of them electronic licences) and ``--licences`` licences issued
through ``issue_licence`` for 500 holders. Then:

1. ``verify_licence`` over all tokens for ``--seconds`` (signature, key status, dates, revocation: one
   query each, or on PostgreSQL the process's status cache kept exact by LISTEN/NOTIFY), beside
   joserfc's bare ``jws.deserialize_compact`` on the same tokens in the same run; on PostgreSQL also with
   the cache off, and how soon a revocation written by another session is seen;
2. ``exempt_materials`` for one applicant (8 licence types) against every situation: per call median,
   p99, max; and ``exemptions_across_catalogue`` (all situations at once).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ITEMS, SITUATIONS, GOV_MATERIALS, NOT_ELECTRONIC, APPLICANT_MATERIALS = 802, 1352, 4161, 270, 2600
LICENCE_TYPES = 120


def say(msg: str) -> None:
    print(msg, flush=True)


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    return (
        f"nproc={os.cpu_count()}, CPU={cpu}, Python {platform.python_version()}, "
        f"load={load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}, date={time.strftime('%Y-%m-%d %H:%M %z')}"
    )


def configure(db: str) -> None:
    os.environ["YIWANG_DATA_DIR"] = tempfile.mkdtemp(prefix=f"bench-licences-{db}-")
    os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS yiwang_bench_licences WITH (FORCE)")
            conn.execute("CREATE DATABASE yiwang_bench_licences")
        os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/yiwang_bench_licences"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())


def id_number(rng: random.Random) -> str:
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    first17 = f"310106{birth:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def synthetic_catalogue(rng: random.Random):
    """Items, situations and materials of the demo district's size, bulk-created."""
    from yiwang.core.models import OrgUnit
    from yiwang.services.catalogue.models import Item, LicenceType, Material, Situation

    dept = OrgUnit.objects.create(code="BENCH-DEPT", name="Bench department", kind="department")
    types = LicenceType.objects.bulk_create(
        LicenceType(code=f"LT{n:03d}", name=f"证照{n}", issuing_department=dept, electronic=n >= 8)
        for n in range(LICENCE_TYPES)
    )
    items = Item.objects.bulk_create(
        Item(code=f"310106-{n // 100:03d}{n % 100:03d}-01-001", name=f"事项{n}", type="licensing", department=dept)
        for n in range(ITEMS)
    )
    situations = Situation.objects.bulk_create(
        Situation(item=items[n % ITEMS], code=f"s{n}", name=f"情形{n}", statutory_days=20, promised_days=5)
        for n in range(SITUATIONS)
    )
    if situations[0].pk is None:  # SQLite before returning ids
        situations = list(Situation.objects.order_by("pk"))
    materials = []
    for n in range(GOV_MATERIALS):
        electronic = n >= NOT_ELECTRONIC
        kind = types[rng.randrange(8, LICENCE_TYPES)] if electronic else types[rng.randrange(8)]
        materials.append(
            Material(situation=situations[rng.randrange(SITUATIONS)], position=n % 9, name=f"材料{n}",
                     source="licence", licence_type=kind)
        )  # fmt: skip
    materials += [
        Material(situation=situations[rng.randrange(SITUATIONS)], position=9, name=f"申请表{n}")
        for n in range(APPLICANT_MATERIALS)
    ]
    Material.objects.bulk_create(materials, batch_size=2000)
    return dept, types, situations


def rate(fn, tokens, seconds: float) -> tuple[float, int]:
    n, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for token in tokens:
            fn(token)
        n += len(tokens)
        if time.perf_counter() >= deadline:
            return n / (time.perf_counter() - start), n


def postgres_extras(tokens, seconds: float, cached_rate: float) -> None:
    """The same verifications with the status cache off (one query each), and how soon a revocation
    written by another session (another process) is seen here."""
    import psycopg
    from django.db import connection
    from django.test import override_settings

    from yiwang.services.licences import verify_cache
    from yiwang.services.licences.models import Licence
    from yiwang.services.licences.verify import verify_licence

    say(f"status cache: {verify_cache.stats}")
    with override_settings(YIWANG_LICENCE_STATUS_CACHE=False):
        plain_rate, plain_n = rate(verify_licence, tokens, seconds)
    say(f"verify_licence, cache off: {plain_rate:8.0f}/s  ({plain_n} verifications, one query each)")
    say(f"cache on / off: {cached_rate / plain_rate:.2f}")
    params = connection.get_connection_params()
    for private in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(private, None)
    jtis = dict(Licence.objects.values_list("number", "jti"))
    import json as _json

    from joserfc import jws as _jws

    waits = []
    with psycopg.connect(**params, autocommit=True) as other:
        for token in tokens[:100]:
            assert verify_licence(token).valid  # cached
            number = _json.loads(_jws.extract_compact(token.encode()).payload)["number"]
            other.execute("UPDATE licences_licence SET status = 'revoked' WHERE jti = %s", [jtis[number]])
            t0 = time.perf_counter()
            while verify_licence(token).reason != "revoked":
                if time.perf_counter() - t0 > 5:
                    raise SystemExit("a revocation was not seen within 5 s")
            waits.append((time.perf_counter() - t0) * 1000)
    waits.sort()
    say(f"revocation by another session seen here after: median {statistics.median(waits):.3f} ms, "
        f"p99 {waits[int(len(waits) * 0.99)]:.3f} ms, max {waits[-1]:.3f} ms ({len(waits)} revocations)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--licences", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    configure(args.db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from joserfc import jws

    from tests.factories import make_user
    from yiwang.core.actor import Actor
    from yiwang.core.roles import Assurance
    from yiwang.services.licences.actions import issue_licence
    from yiwang.services.licences.exemption import exempt_materials, exemptions_across_catalogue
    from yiwang.services.licences.identity import VerifiedIdentity
    from yiwang.services.licences.keys import current_key, public_key
    from yiwang.services.licences.verify import verify_licence

    say(f"machine: {machine()}; database: {connection.vendor}")
    rng = random.Random(7)
    t0 = time.perf_counter()
    dept, types, situations = synthetic_catalogue(rng)
    say(f"catalogue: {ITEMS} items, {SITUATIONS} situations, {GOV_MATERIALS + APPLICANT_MATERIALS} materials "
        f"({GOV_MATERIALS} government-issued) in {time.perf_counter() - t0:.1f} s")  # fmt: skip

    holders = [id_number(rng) for _ in range(500)]
    today = date.today()
    actor = Actor.system()
    tokens = []
    t0 = time.perf_counter()
    for n in range(args.licences):
        _, token = issue_licence(
            actor, licence_type=types[8 + n % (LICENCE_TYPES - 8)], holder_id_number=holders[n % len(holders)],
            holder_name="张三", valid_from=today - timedelta(days=30), valid_until=today + timedelta(days=365),
            issuer=dept,
        )  # fmt: skip
        tokens.append(token)
    elapsed = time.perf_counter() - t0
    say(f"issue_licence: {args.licences} in {elapsed:.1f} s ({elapsed / args.licences * 1000:.2f} ms each, audited)")

    assert all(verify_licence(t).valid for t in tokens[:50])
    key = current_key()
    pub = public_key(key.kid, key.algorithm, key.public_jwk)
    with CaptureQueriesContext(connection) as queries:
        verify_licence(tokens[0])
    if connection.vendor == "postgresql":  # the first verification of each licence fills the status cache
        t0 = time.perf_counter()
        for token in tokens:
            verify_licence(token)
        say(f"verify_licence, first of each licence (cache filling): {len(tokens) / (time.perf_counter() - t0):.0f}/s")
    raw_rate, raw_n = rate(lambda t: jws.deserialize_compact(t, pub, algorithms=["ES256"]), tokens, args.seconds)
    full_rate, full_n = rate(verify_licence, tokens, args.seconds)
    say(f"verify_licence:          {full_rate:8.0f}/s  ({full_n} verifications, {len(queries)} query each)")
    say(f"joserfc signature alone: {raw_rate:8.0f}/s  ({raw_n} verifications)")
    say(f"ratio verify_licence / joserfc: {full_rate / raw_rate:.2f}")
    if connection.vendor == "postgresql":
        postgres_extras(tokens, args.seconds, full_rate)

    # one applicant holding 8 licence types (through issue_licence like everyone else)
    applicant_number = id_number(rng)
    for kind in types[8:16]:
        issue_licence(
            actor, licence_type=kind, holder_id_number=applicant_number, holder_name="李四",
            valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=30), issuer=dept,
        )  # fmt: skip
    user = make_user(verified_id_number=applicant_number)
    identity = VerifiedIdentity.from_actor(Actor(user=user, assurance=Assurance.ID_CARD))
    t0 = time.perf_counter()
    exempt_materials(identity, situations[0].pk)  # builds the material index once
    say(f"material index built in {(time.perf_counter() - t0) * 1000:.0f} ms (once per process / catalogue change)")
    from yiwang.services.licences.exemption import material_index

    with_licence_materials = set(material_index.get().by_situation)
    timings, queried, exempt = [], [], 0
    for situation in situations:
        t0 = time.perf_counter()
        exempt += len(exempt_materials(identity, situation.pk))
        elapsed = (time.perf_counter() - t0) * 1000
        timings.append(elapsed)
        if situation.pk in with_licence_materials:
            queried.append(elapsed)
    for label, ms in (("every situation", timings), ("situations with licence materials (1 query)", queried)):
        ms.sort()
        say(f"exempt_materials, one applicant, {label} ({len(ms)}): median {statistics.median(ms):.3f} ms, "
            f"p99 {ms[int(len(ms) * 0.99)]:.3f} ms, max {ms[-1]:.3f} ms")  # fmt: skip
    say(f"  {exempt} materials exempt in all")
    across = []
    for _ in range(20):
        t0 = time.perf_counter()
        result = exemptions_across_catalogue(identity)
        across.append((time.perf_counter() - t0) * 1000)
    total = sum(len(v) for v in result.values())
    say(f"exemptions_across_catalogue (all situations at once): median {statistics.median(across):.3f} ms, "
        f"max {max(across):.3f} ms ({len(result)} situations, {total} materials)")  # fmt: skip
    assert total == exempt, "the two ways must agree"


if __name__ == "__main__":
    main()
