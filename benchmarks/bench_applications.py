"""Applications submitted and accepted through the production server, beside its trivial endpoint.

    .venv/bin/python benchmarks/bench_applications.py [--seconds 20] [--connections 8] [--workers N]
                                                      [--db sqlite,postgres] [--client auto|wrk|python] [--smoke]

For each database (a temporary SQLite file; PostgreSQL at BENCH_PG_URL if it answers, in a scratch
database dropped at the end) it migrates and builds a small catalogue: 40 situations of 20 items, each
asking for one government-issued licence (免交 for a verified applicant) and one optional form; 200
residents logged in with their ID card (session assurance ``id_card``), each holding that licence in the
e-licence library, and 8 window clerks. Then, in the same run:

0. in-process (no HTTP): ``create_application(submit_at_once=True)`` + ``accept`` — the actions alone;
1. ``GET /api/v1/ping`` through ``yiwang serve`` (gunicorn, sync workers: its default, two per core,
   unless ``--workers``) — the framework ceiling;
2. the application path: ``POST /api/v1/applications/`` ``{"situation": …, "submit": true}`` as a
   resident (201: created, materials listed, the licence exempting one, submitted — one transaction),
   then ``POST /api/v1/applications/{code}/accept`` ``{"version": 1}`` as a clerk (200: accepted, the
   promised and statutory clocks started — one transaction). Closed loop; one application = both.

Applications per second are counted in the database (applications accepted during the run, divided by
its length), and every application accepted must have its two clocks and its audit rows. The closed
loops use ``wrk`` (one thread; a Lua script keeps the codes to accept) when present, else a Python
client (one process per connection, each applying then accepting).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _apps_clients import _ping_python, run_python  # noqa: E402
from _cpu import CpuMeter  # noqa: E402
from _serve import free_port, pct, run_wrk, start_server, stop_server  # noqa: E402

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "yiwang_bench_applications"
ITEMS, SITUATIONS, RESIDENTS, CLERKS = 20, 40, 200, 8
LICENCE_TYPE = "BENCH_LICENCE"


def say(msg: str) -> None:
    print(msg, flush=True)


# --- set-up and counting, run in a child process against the database under test -------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


def _id_number(n: int) -> str:
    first17 = f"310106{1960 + n % 40:04d}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def _session(user, assurance: str) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.utils.crypto import get_random_string

    client = Client()
    client.force_login(user)
    session = client.session
    session["assurance"] = assurance
    session.save()
    csrf = get_random_string(32)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"cookie": cookie, "csrf": csrf}


def child_setup(out: str) -> None:
    _django()
    from datetime import date, timedelta

    from django.core.management import call_command

    from yiwang.core.actor import Actor
    from yiwang.core.models import OrgUnit, RoleAssignment, User
    from yiwang.core.roles import OrgKind, Role
    from yiwang.services.catalogue.models import Item, LicenceType, Material, MaterialSource, Situation
    from yiwang.services.licences.actions import issue_licence

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    department = OrgUnit.objects.create(code="BENCH-DEPT", name="压测审批部门", kind=OrgKind.DEPARTMENT)
    window = OrgUnit.objects.create(code="BENCH-WINDOW", name="压测综合窗口", kind=OrgKind.SERVICE_WINDOW)
    licence_type = LicenceType.objects.create(
        code=LICENCE_TYPE, name="压测营业执照", issuing_department=department, electronic=True
    )
    situations = []
    for n in range(SITUATIONS):
        if n < ITEMS:
            item = Item.objects.create(
                code=f"310106-{n:06d}-01-00B", name=f"压测事项{n}", type="licensing", department=department
            )
        else:
            item = Item.objects.get(code=f"310106-{n - ITEMS:06d}-01-00B")
        situation = Situation.objects.create(
            item=item, code=f"s{n}", name=f"情形{n}", statutory_days=20, promised_days=5 + n % 5
        )
        Material.objects.create(
            situation=situation, position=0, name="营业执照", source=MaterialSource.LICENCE, licence_type=licence_type
        )
        Material.objects.create(situation=situation, position=1, name="补充说明", required=False)
        situations.append(situation.pk)
    today = date.today()
    residents, clerks = [], []
    for n in range(RESIDENTS):
        number = _id_number(n)
        user = User.objects.create_user(username=f"resident{n}", verified_id_number=number)
        issue_licence(
            Actor.system(), licence_type=licence_type, holder_id_number=number, holder_name="张三",
            valid_from=today - timedelta(days=30), valid_until=today + timedelta(days=365), issuer=department,
        )  # fmt: skip
        residents.append(_session(user, "id_card"))
    for n in range(CLERKS):
        user = User.objects.create_user(username=f"clerk{n}")
        RoleAssignment.objects.create(user=user, role=Role.WINDOW_CLERK, org_unit=window)
        clerks.append(_session(user, "password"))
    Path(out).write_text(json.dumps({"situations": situations, "residents": residents, "clerks": clerks}))


def child_count(out: str) -> None:
    _django()
    from yiwang.core.audit.models import AuditEvent
    from yiwang.core.workcal.models import Clock
    from yiwang.services.applications.models import Application

    Path(out).write_text(
        json.dumps(
            {
                "created": Application.objects.count(),
                "accepted": Application.objects.filter(status="accepted").count(),
                "clocks": Clock.objects.filter(subject_type="applications.application").count(),
                "accept_audit": AuditEvent.objects.filter(action="applications.application.accept").count(),
                "create_audit": AuditEvent.objects.filter(action="applications.application.create").count(),
            }
        )
    )


def child_inprocess(out: str) -> None:
    """The two actions alone, no HTTP: create + submit at once, then accept; single thread."""
    _django()
    from yiwang.core.actor import Actor, Channel
    from yiwang.core.models import User
    from yiwang.services.applications import actions
    from yiwang.services.catalogue.models import Situation

    situations = list(Situation.objects.select_related("item", "item__department").order_by("pk"))
    residents = list(User.objects.filter(username__startswith="resident").order_by("pk")[:20])
    clerk = User.objects.filter(username__startswith="clerk").first()
    desk = Actor(user=clerk, channel=Channel.API)
    timings = []
    deadline = time.perf_counter() + float(os.environ.get("BENCH_INPROCESS_SECONDS", "5"))
    n = 0
    while time.perf_counter() < deadline or n < 20:
        applicant = Actor(user=residents[n % len(residents)], channel=Channel.API, assurance="id_card")
        t0 = time.perf_counter()
        application = actions.create_application(
            applicant, situation=situations[n % len(situations)], channel="online", submit_at_once=True
        )
        actions.accept(desk, application)
        timings.append(time.perf_counter() - t0)
        n += 1
    timings = timings[10:]  # warm-up
    Path(out).write_text(json.dumps({"n": len(timings), "seconds": sum(timings), "timings": timings}))


def run_child(what: str, env: dict) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        subprocess.run([sys.executable, __file__, what, out], env=env, check=True, cwd=ROOT)  # noqa: S603
        return json.loads(Path(out).read_text())
    finally:
        os.unlink(out)


# --- load generators ----------------------------------------------------------------------------

LUA = """
local residents = {%(residents)s}
local clerks = {%(clerks)s}
local situations = {%(situations)s}
local queue, head, tail, n = {}, 1, 0, 0
request = function()
  n = n + 1
  if head <= tail then
    local code = queue[head]
    queue[head] = nil
    head = head + 1
    local c = clerks[(n %% #clerks) + 1]
    return wrk.format("POST", "/api/v1/applications/" .. code .. "/accept",
      {["Content-Type"] = "application/json", ["Cookie"] = c[1], ["X-CSRFToken"] = c[2]}, '{"version": 1}')
  end
  local r = residents[(n %% #residents) + 1]
  local body = '{"situation": ' .. situations[(n %% #situations) + 1] .. ', "submit": true}'
  return wrk.format("POST", "/api/v1/applications/",
    {["Content-Type"] = "application/json", ["Cookie"] = r[1], ["X-CSRFToken"] = r[2]}, body)
end
response = function(status, headers, body)
  if status == 201 then
    local code = string.match(body, '"code": *"([^"]+)"')
    if code then
      tail = tail + 1
      queue[tail] = code
    end
  end
end
"""


def lua_script(setup: dict) -> str:
    def people(rows):
        return ",".join(f'{{"{r["cookie"]}","{r["csrf"]}"}}' for r in rows)

    return LUA % {
        "residents": people(setup["residents"]),
        "clerks": people(setup["clerks"]),
        "situations": ",".join(str(s) for s in setup["situations"]),
    }


# --- one database ------------------------------------------------------------------------------


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def pg_recreate(drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {PG_DB}")
    return PG_URL.rsplit("/", 1)[0] + "/" + PG_DB


def bench_database(name: str, args, use_wrk: bool) -> list[tuple]:
    data_dir = tempfile.mkdtemp(prefix=f"benchapps-{name}-")
    env = {**os.environ, "YIWANG_DATA_DIR": data_dir, "YIWANG_LOG_LEVEL": "WARNING"}
    if name == "postgres":
        env["DATABASE_URL"] = pg_recreate()
    else:
        env.pop("DATABASE_URL", None)
    rows = []
    proc = None
    try:
        t = time.perf_counter()
        say(f"[{name}] migrating, building the catalogue, residents (with licences) and clerks …")
        setup = run_child("_setup", env)
        say(f"[{name}] ready in {time.perf_counter() - t:.0f} s")
        inproc = run_child("_inprocess", {**env, "BENCH_INPROCESS_SECONDS": str(min(args.seconds, 10))})
        timings = inproc["timings"]
        rate = inproc["n"] / inproc["seconds"]
        rows.append((name, "actions in-process", "applications/s", rate, pct(timings, 50), pct(timings, 99)))
        port = free_port()
        proc = start_server(env, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        run_python(port, setup, 2, 2)  # warm-up: every worker imports and connects
        say(f"[{name}] ping, closed loop, {args.connections} connections, {args.seconds} s …")
        with CpuMeter(proc.pid, PG_DB if name == "postgres" else "") as ping_cpu:
            if use_wrk:
                ping = run_wrk(base + "/api/v1/ping", args.seconds, args.connections, "")
            else:
                ping = _ping_python(port, args.seconds, args.connections)
        rows.append((name, "GET /api/v1/ping", "requests/s", ping["rps"], ping["p50_ms"], ping["p99_ms"]))
        before = run_child("_count", env)
        say(f"[{name}] apply + accept, closed loop, {args.connections} connections, {args.seconds} s …")
        with CpuMeter(proc.pid, PG_DB if name == "postgres" else "") as apps_cpu:
            if use_wrk:
                result = run_wrk(base + "/", args.seconds, args.connections, lua_script(setup))
            else:
                result = run_python(port, setup, args.seconds, args.connections)
        after = run_child("_count", env)
        accepted = after["accepted"] - before["accepted"]
        rows.append((name, "POST apply + accept", "requests/s", result["rps"], result["p50_ms"], result["p99_ms"]))
        rows.append((name, "POST apply + accept", "applications/s", accepted / args.seconds, None, None))
        say(
            f"[{name}] {result['ok']} answers 2xx, {result['failed']} not; {accepted} applications accepted, "
            f"{after['created'] - before['created']} created; in all {after['accepted']} accepted, "
            f"{after['clocks']} clocks, {after['accept_audit']} accept and {after['create_audit']} create audit rows"
        )
        pings = ping["rps"] * args.seconds
        ping_ms = 1000 * (ping_cpu.server_s + ping_cpu.children_s + ping_cpu.postgres_s) / max(pings, 1)
        per_app = [1000 * x / max(accepted, 1) for x in (apps_cpu.server_s, apps_cpu.children_s, apps_cpu.postgres_s)]
        say(
            f"[{name}] CPU ms per application: server {per_app[0]:.2f}, client {per_app[1]:.2f}, PostgreSQL "
            f"{per_app[2]:.2f} — {sum(per_app):.2f} in all, {sum(per_app) / ping_ms:.1f} pings' worth "
            f"(a ping: {ping_ms:.3f} ms in all); {os.cpu_count()} cores give {1000 * (os.cpu_count() or 1)} a second"
        )
        rows.append((name, "CPU per application", "ms (all procs)", sum(per_app), None, None))
        if after["clocks"] != 2 * after["accepted"] or after["accept_audit"] != after["accepted"]:
            say(f"[{name}] MISMATCH: every accepted application must have two clocks and one accept audit row")
    finally:
        if proc is not None:
            stop_server(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
        if name == "postgres":
            pg_recreate(drop_only=True)
    return rows


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("_setup", "_count", "_inprocess"):
        {"_setup": child_setup, "_count": child_count, "_inprocess": child_inprocess}[sys.argv[1]](sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each closed-loop run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn sync workers (default: yiwang serve's)")
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--smoke", action="store_true", help="2-second runs, to check the script works")
    args = parser.parse_args()
    if args.smoke:
        args.seconds = 2
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    from _common import machine

    say(f"machine: {machine()}")
    say(f"load generator: {'wrk (1 thread)' if use_wrk else 'Python, one process per connection'}")
    rows = []
    for name in [d.strip() for d in args.db.split(",") if d.strip()]:
        if name == "postgres" and not pg_reachable():
            say(f"[postgres] skipped: nothing answers at {PG_URL}")
            continue
        rows += bench_database(name, args, use_wrk)
    say("")
    say(f"machine at the end: {machine()}")
    say(f"{'database':<10}{'what':<24}{'unit':<16}{'rate':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for db, what, unit, value, p50, p99 in rows:
        tail = f"{p50:>9.1f}{p99:>9.1f}" if p50 is not None else ""
        say(f"{db:<10}{what:<24}{unit:<16}{value:>9.{1 if value < 100 else 0}f}{tail}")


if __name__ == "__main__":
    main()
