"""``yiwang demo``: migrate, seed the demo district through actions, print the demo accounts, serve.

yiwang demo                 # seed (once) and serve at http://127.0.0.1:8000 with the worker
yiwang demo --no-serve      # seed only
yiwang demo --seed 7        # another invented district (in a fresh database)
"""

from __future__ import annotations

import os
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import Resolver404, resolve

from yiwang.core.actions import ActionError
from yiwang.core.roles import Role
from yiwang.demo.district import DEFAULT_SEED, build_district
from yiwang.demo.orgs import DEMO_PASSWORD, UserSpec, user_specs
from yiwang.demo.seed import OPERATIONS_STEPS, STEPS, columns, pad, seed_demo


def pending_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def first_page(spec: UserSpec) -> str:
    """The first of the user's candidate pages that this installation serves."""
    for path in spec.opens:
        try:
            resolve(path)
            return path
        except Resolver404:
            continue
    return "/"


def accounts_table(specs: list[UserSpec], base_url: str) -> list[str]:
    rows = [("role 角色", "username 用户名", "password 密码", "open 打开")]
    rows += [(str(Role(s.role).label), s.username, DEMO_PASSWORD, base_url + first_page(s)) for s in specs]
    widths = [max(columns(r[i]) for r in rows) + 2 for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("".join(pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)) + row[3])
        if n == 0:
            lines.append("-" * (sum(widths) + max(columns(r[3]) for r in rows)))
    return lines


class Command(BaseCommand):
    help = "Seed the demo district (1 district, 13 subdistricts, 63 grids, 300+ areas, users) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"district seed (default {DEFAULT_SEED})")
        parser.add_argument("--no-serve", action="store_true", help="seed only, do not start the server")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
        parser.add_argument("--skip-pois", action="store_true", help="seed without the points of interest")
        parser.add_argument(
            "--skip-history", action="store_true", help="seed without the year of case history (~300,000 cases)"
        )

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, **opts):
        start = time.perf_counter()
        pending = pending_migrations()
        if pending:
            self.say(f"migrating the database ({pending} migrations) …")
            call_command("migrate", interactive=False, verbosity=0)
            self.say(pad("migrated 数据库迁移", 28) + f"{pending} migrations  ({time.perf_counter() - start:.1f} s)")
        steps = tuple(s for s in STEPS + OPERATIONS_STEPS if not (opts["skip_pois"] and s == "pois"))
        steps = tuple(s for s in steps if not (opts["skip_history"] and s == "history"))
        try:
            report = seed_demo(opts["seed"], steps=steps, progress=self.say)
        except ActionError as exc:
            raise CommandError(str(exc.message))
        if report.done:
            self.say(pad("seeded 完成", 28) + f"in {report.seconds:.1f} s")
        else:
            self.say(f"the demo district (seed {opts['seed']}) was already seeded: nothing changed")
        district = report.district or build_district(opts["seed"], with_pois=False)
        base = f"http://{opts['host']}:{opts['port']}"
        self.say("")
        for line in accounts_table(user_specs(district), base):
            self.say(line)
        self.say("")
        if opts["no_serve"]:
            return
        connections.close_all()
        argv = [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"{opts['host']}:{opts['port']}"]
        self.say(f"serving at {base}/ (yiwang serve --with-worker); Ctrl-C stops")
        os.execv(sys.executable, [*argv, "--with-worker"])  # noqa: S606 - our own interpreter and command
