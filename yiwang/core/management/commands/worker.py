"""``yiwang worker``: the background process.

Runs three things side by side until SIGTERM or SIGINT:

* the django-tasks database worker (``django_tasks_db``'s ``db_worker`` loop) in a thread, executing
  queued tasks (``--no-tasks`` leaves that to separate ``yiwang db_worker`` processes);
* the Open311 intake drainer (:mod:`yiwang.operations.open311.drain`) in a thread, registering queued
  reports in batches (``--no-intake`` leaves that to ``yiwang open311 drain`` processes);
* in the main thread, the periodic jobs of :mod:`yiwang.core.periodic` (the clock sweep every 30 s,
  audit anchoring every 10 min, the work calendar coverage check daily, and whatever other contexts
  register), each claimed in the database so that several workers never run one job at once.

On a signal it finishes the job or task at hand and exits cleanly. ``--once`` runs every periodic job
once (whether due or not) and exits: handy in tests, cron or after a deploy.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from yiwang.core.periodic import registered_jobs, run_due_jobs

log = logging.getLogger("yiwang.worker")


class Command(BaseCommand):
    help = "Run queued background tasks and the periodic jobs (clock sweep, audit anchoring, …)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every periodic job once, then exit")
        parser.add_argument("--job", action="append", default=[], help="with --once: only this job (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the periodic jobs and exit")
        parser.add_argument("--no-tasks", action="store_true", help="do not run queued tasks in this process")
        parser.add_argument(
            "--no-intake", action="store_true", help="do not drain the Open311 intake queue in this process"
        )
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between periodic checks (default 5)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between task queue polls")
        parser.add_argument("--queue-name", default="default", help="task queues, comma separated, '*' for all")
        parser.add_argument("--worker-id", default="", help="unique id of this worker (default: host-pid-random)")

    def handle(self, *args, **opts):
        worker_id = opts["worker_id"] or f"{socket.gethostname()}-{os.getpid()}-{get_random_string(6)}"
        jobs = registered_jobs()
        if opts["list"]:
            for job in jobs:
                self.stdout.write(f"{job.name:<28} every {job.every_seconds:g} s")
            return
        if opts["once"]:
            unknown = set(opts["job"]) - {job.name for job in jobs}
            if unknown:
                raise CommandError(f"unknown periodic job(s): {', '.join(sorted(unknown))}")
            for outcome in run_due_jobs(worker_id, force=True, only=opts["job"] or None):
                self.stdout.write(str(outcome))
            return
        self.run_forever(worker_id, opts)

    def run_forever(self, worker_id: str, opts) -> None:
        stop = threading.Event()

        def on_signal(signum, frame):
            if stop.is_set():
                log.warning("second %s: exiting now", signal.Signals(signum).name)
                raise SystemExit(1)
            log.warning("%s received: finishing the current work, then stopping", signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        task_worker, thread, intake_thread = None, None, None
        try:
            if not opts["no_tasks"]:
                task_worker, thread = self.start_task_worker(worker_id, opts)
            if not opts["no_intake"]:
                from yiwang.operations.open311 import drain

                intake_thread = drain.start_thread(stop)
            names = ", ".join(job.name for job in registered_jobs())
            log.info("worker %s started; periodic jobs: %s", worker_id, names)
            self.stdout.write(f"worker {worker_id} running (periodic jobs: {names}); Ctrl+C to stop")
            while not stop.is_set():
                if not connection.in_atomic_block:  # (a test runs the loop inside its transaction)
                    close_old_connections()
                try:
                    run_due_jobs(worker_id)
                except Exception:  # a broken database connection must not kill the loop
                    log.exception("periodic run failed; retrying after %s s", opts["tick"])
                stop.wait(opts["tick"])
        finally:
            stop.set()
            if intake_thread is not None:
                intake_thread.join(timeout=60)  # the batch at hand commits (or rolls back: rows stay queued)
            if task_worker is not None:
                task_worker.running = False
                thread.join(timeout=max(opts["interval"], 1) + 60)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            log.info("worker %s stopped", worker_id)
            self.stdout.write(f"worker {worker_id} stopped")

    def start_task_worker(self, worker_id: str, opts):
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.compat import task_backends
        from django_tasks_db.management.commands.db_worker import Worker

        if not isinstance(task_backends["default"], DatabaseBackend):
            log.info("the default task backend is not the database one: no task worker in this process")
            return None, None

        queues = opts["queue_name"].split(",")
        worker = Worker(
            queue_names=queues,
            interval=opts["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{worker_id}-tasks"[:64],
            excluded_queue_names=[],
        )

        def run():
            try:
                worker.run()
            except Exception:
                log.exception("task worker stopped on an error")
            finally:
                connection.close()

        thread = threading.Thread(target=run, name="yiwang-task-worker", daemon=True)
        thread.start()
        log.info("task worker started on queue(s) %s", ",".join(queues))
        return worker, thread
