"""Periodic jobs: a registry that ``yiwang worker`` runs.

Any context registers its sweeps in a ``jobs.py`` module of its app (found automatically, like
``admin.py``)::

    # yiwang/operations/jobs.py
    from yiwang.core.periodic import periodic

    @periodic("operations.sla_rollup", every_seconds=300)
    def sla_rollup():
        ...
        return "12 rolled up"   # optional: a short result, logged and kept as the job's last result

Each job's last run is kept in one row (``workcal.PeriodicRun``), claimed with a single conditional
UPDATE, so that several worker processes never run the same job at once and a restarted worker does
not rerun a job that ran recently. A claim holds a lease (default: the period, between 1 minute and
1 hour); a worker that died mid-job releases the job when the lease runs out.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError
from django.db.models import F, Q
from django.utils import timezone

log = logging.getLogger("yiwang.worker")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: float
    func: Callable[[], object]
    lease_seconds: float

    def __call__(self):
        return self.func()


@dataclass
class JobOutcome:
    name: str
    ran: bool
    ok: bool = True
    result: str = ""
    seconds: float = 0.0

    def __str__(self) -> str:
        if not self.ran:
            return f"{self.name}: not due or claimed elsewhere"
        status = "ok" if self.ok else "FAILED"
        return f"{self.name}: {status} in {self.seconds:.2f}s {self.result}".rstrip()


_registry: dict[str, PeriodicJob] = {}
_discovered = False


def periodic(name: str, every_seconds: float, *, lease_seconds: float | None = None):
    """Register the decorated function as a periodic job run every ``every_seconds`` by the worker."""
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")

    def register(func):
        lease = lease_seconds if lease_seconds is not None else min(max(every_seconds, 60), 3600)
        _registry[name] = PeriodicJob(name, float(every_seconds), func, float(lease))
        return func

    return register


def registered_jobs() -> list[PeriodicJob]:
    """Every registered job (the ``jobs`` module of every installed app is imported first)."""
    autodiscover()
    return [_registry[name] for name in sorted(_registry)]


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")
    _discovered = True


@periodic("audit.anchor_heads", every_seconds=600)
def _anchor_audit_heads():
    from yiwang.core.audit.trail import anchor_heads

    anchor = anchor_heads()
    return f"anchor {anchor.pk}"


def claim(job: PeriodicJob, worker_id: str, *, now: datetime | None = None, force: bool = False) -> bool:
    """Atomically take the job for this worker if it is due (or ``force``) and nobody holds it."""
    from yiwang.core.workcal.models import PeriodicRun

    now = now or timezone.now()
    try:
        PeriodicRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another worker created it at the same moment
        pass
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if not force:
        free &= Q(next_due_at__isnull=True) | Q(next_due_at__lte=now)
    updated = (
        PeriodicRun.objects.filter(name=job.name)
        .filter(free)
        .update(
            lease_until=now + timedelta(seconds=job.lease_seconds),
            claimed_by=worker_id[:100],
            last_started_at=now,
            next_due_at=now + timedelta(seconds=job.every_seconds),
        )
    )
    return updated == 1


def run_job(job: PeriodicJob, worker_id: str = "", *, force: bool = False) -> JobOutcome:
    """Claim and run one job; record how it went."""
    from yiwang.core.workcal.models import PeriodicRun

    if not claim(job, worker_id, force=force):
        return JobOutcome(job.name, ran=False)
    started = time.monotonic()
    ok, error, result = True, "", ""
    log.info("periodic job %s started", job.name)
    try:
        value = job()
        result = "" if value is None else str(value)
    except Exception:
        ok, error = False, traceback.format_exc()
        log.exception("periodic job %s failed", job.name)
    seconds = time.monotonic() - started
    finished = {
        "lease_until": None,
        "last_finished_at": timezone.now(),
        "last_ok": ok,
        "last_error": error[-4000:],
        "last_result": result[:300],
        "runs": F("runs") + 1,
    }
    if not ok:  # retry sooner than a whole period
        finished["next_due_at"] = timezone.now() + timedelta(seconds=min(job.every_seconds, 300))
    PeriodicRun.objects.filter(name=job.name, claimed_by=worker_id[:100]).update(**finished)
    outcome = JobOutcome(job.name, ran=True, ok=ok, result=result, seconds=seconds)
    log.info("periodic job %s", outcome)
    return outcome


def run_due_jobs(worker_id: str = "", *, force: bool = False, only: list[str] | None = None) -> list[JobOutcome]:
    """Run every job that is due (every job with ``force``), one after the other."""
    outcomes = []
    for job in registered_jobs():
        if only and job.name not in only:
            continue
        outcomes.append(run_job(job, worker_id, force=force))
    return outcomes
