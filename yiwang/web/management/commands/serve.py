"""``yiwang serve``: the production server (gunicorn, sync workers) and optionally the background worker.

Sync workers with persistent database connections (``CONN_MAX_AGE`` in settings) are the fastest
way to serve Django on this stack (see ARCHITECTURE: 4,250 req/s against 840–910 under uvicorn).
Static files are served by WhiteNoise from ``STATIC_ROOT``, collected first when it is empty.

Without ``--with-worker`` gunicorn runs in this process (its master handles the signals). With it,
this process supervises two children — the web server and ``yiwang worker`` — restarts the worker
if it dies, and on Ctrl-C or SIGTERM stops both cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

STOP_GRACE_SECONDS = 30
WORKER_RESTART_BACKOFF = (1, 2, 5, 10, 30)


def static_root_is_empty() -> bool:
    root = settings.STATIC_ROOT
    return not root or not os.path.isdir(root) or not any(os.scandir(root))


def ensure_static(stdout=None) -> bool:
    """Collect static files into an empty ``STATIC_ROOT``; True if it did."""
    if not static_root_is_empty():
        return False
    if stdout:
        stdout.write(f"collecting static files into {settings.STATIC_ROOT} …")
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


def default_workers() -> int:
    """Two sync workers per core: while one waits on the database (a round trip, SQLite's write turn),
    the other runs. Measured with the Open311 POST on 2 cores (docs/benchmarks.md, Operations §1):
    4 workers 316/s on SQLite and 252/s on PostgreSQL, against 294/s and 153/s with 2."""
    return max(2, 2 * (os.cpu_count() or 1))


def gunicorn_options(bind: str, workers: int, timeout: int, access_log: str) -> dict:
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",
        "timeout": timeout,
        "graceful_timeout": STOP_GRACE_SECONDS,
        "accesslog": access_log or None,
        "errorlog": "-",
        "proc_name": "yiwang",
        "preload_app": False,  # each worker opens its own database connection
        "control_socket_disable": True,  # one fixed socket path would clash between instances
    }


def run_gunicorn(options: dict) -> None:
    """Run gunicorn's master in this process until it is told to stop (SIGINT, SIGTERM)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class YiwangServer(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from yiwang.wsgi import application

            return application

    connections.close_all()  # never hand an open connection to forked workers
    YiwangServer(prog="yiwang serve").run()


def own_command(*args: str) -> list[str]:
    """The argv that runs ``yiwang <args>`` with this interpreter."""
    return [sys.executable, "-m", "yiwang.cli", *args]


class Child:
    """A supervised child process (started, watched, stopped with SIGTERM then SIGKILL)."""

    def __init__(self, name: str, argv: list[str], log):
        self.name, self.argv, self.log = name, argv, log
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self.started_at = 0.0

    def start(self) -> None:
        # its own process group: a Ctrl-C at the terminal reaches only the supervisor, which then
        # stops each child exactly once (a second signal means "exit now" to the worker)
        self.proc = subprocess.Popen(self.argv, process_group=0)  # noqa: S603 - our own interpreter
        self.started_at = time.monotonic()
        self.log(f"{self.name} started (pid {self.proc.pid})")

    def exited(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def signal(self, signum: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signum)

    def wait(self, timeout: float) -> int | None:
        if self.proc is None:
            return None
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.log(f"{self.name} did not stop within {timeout:g} s: killing it")
            self.proc.kill()
            return self.proc.wait()


class Supervisor:
    """Runs the web server and the worker; restarts a crashed worker; stops both on a signal."""

    def __init__(self, web: Child, worker: Child, log):
        self.web, self.worker, self.log = web, worker, log
        self.stopping = False
        self.next_restart = 0.0

    def on_signal(self, signum, frame) -> None:
        if not self.stopping:
            self.log(f"{signal.Signals(signum).name} received: stopping the web server and the worker")
        self.stopping = True

    def run(self) -> int:
        previous = {s: signal.signal(s, self.on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.web.start()
            self.worker.start()
            while not self.stopping:
                if self.web.exited() is not None:
                    self.log(f"the web server exited with status {self.web.exited()}")
                    break
                self._watch_worker()
                time.sleep(0.2)
            return self.stop()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _watch_worker(self) -> None:
        status = self.worker.exited()
        if status is None:
            return
        now = time.monotonic()
        if not self.next_restart:
            if now - self.worker.started_at > 60:
                self.worker.restarts = 0  # it ran a good while: start backing off afresh
            delay = WORKER_RESTART_BACKOFF[min(self.worker.restarts, len(WORKER_RESTART_BACKOFF) - 1)]
            self.log(f"the worker exited with status {status}; restarting it in {delay} s")
            self.next_restart = now + delay
        elif now >= self.next_restart:
            self.next_restart = 0.0
            self.worker.restarts += 1
            self.worker.start()

    def stop(self) -> int:
        for child in (self.worker, self.web):
            child.signal(signal.SIGTERM)
        worker_status = self.worker.wait(STOP_GRACE_SECONDS + 5)
        web_status = self.web.wait(STOP_GRACE_SECONDS + 5)
        self.log(f"stopped (web server status {web_status}, worker status {worker_status})")
        return web_status or 0


class Command(BaseCommand):
    help = "Run the production web server (gunicorn, sync workers); --with-worker also runs `yiwang worker`."
    requires_system_checks = []  # checked once below; the supervised children skip it

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("YIWANG_BIND", "127.0.0.1:8000"), help="host:port")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("YIWANG_WEB_WORKERS", default_workers())),
            help="sync workers (default: two per core, at least 2)",
        )
        parser.add_argument("--with-worker", action="store_true", help="also run the background worker")
        parser.add_argument("--timeout", type=int, default=60, help="seconds before a stuck request is killed")
        parser.add_argument("--no-access-log", action="store_true", help="do not log every request")
        parser.add_argument("--supervised", action="store_true", help="(internal) started by a supervisor")

    def log(self, line: str) -> None:
        self.stdout.write(f"[yiwang serve] {line}")
        self.stdout.flush()

    def handle(self, *args, **opts):
        if opts["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if not opts["supervised"]:
            self.check(display_num_errors=False)
            ensure_static(self.stdout)
        if opts["with_worker"]:
            if "worker" in get_commands():
                sys.exit(self.supervise(opts))
            self.log("the `worker` command is not installed: serving without the background worker")
        access_log = "" if opts["no_access_log"] else "-"
        self.log(f"serving at http://{opts['bind']}/ with {opts['workers']} sync worker(s); Ctrl-C stops")
        run_gunicorn(gunicorn_options(opts["bind"], opts["workers"], opts["timeout"], access_log))

    def supervise(self, opts) -> int:
        web_args = ["serve", "--supervised", "--bind", opts["bind"], "--workers", str(opts["workers"])]
        web_args += ["--timeout", str(opts["timeout"])] + (["--no-access-log"] if opts["no_access_log"] else [])
        web = Child("web server", own_command(*web_args), self.log)
        worker = Child("worker", own_command("worker"), self.log)
        return Supervisor(web, worker, self.log).run()
