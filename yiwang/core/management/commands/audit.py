"""``yiwang audit verify | anchor | show TYPE ID`` — check, anchor and read the audit trail."""

import time

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import anchor_heads, chain_count, verify


class Command(BaseCommand):
    help = "Verify the hash-chained audit trail, anchor its chain heads, or show one object's trail."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{verify,anchor,show}")
        sub.add_parser("verify", help="walk every chain and the anchors; exit 1 if anything was tampered with")
        sub.add_parser("anchor", help="snapshot every chain head into the anchor chain")
        show = sub.add_parser("show", help="the audit trail of one object")
        show.add_argument("object_type", help="e.g. core.user or operations.case")
        show.add_argument("object_id")
        show.add_argument("--limit", type=int, default=200)

    def handle(self, *args, verb, **options):
        return getattr(self, f"do_{verb}")(**options)

    def do_verify(self, **options):
        started = time.monotonic()
        last_print = [started]
        total_chains = max(chain_count(), 1)

        def progress(chain, report):
            now = time.monotonic()
            if now - last_print[0] >= 2 or options.get("verbosity", 1) > 1:
                last_print[0] = now
                self.stderr.write(f"  … chain {chain} ({report.chains}/{total_chains}), {report.rows} rows checked")

        report = verify(progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"checked {report.rows} rows in {report.chains} chains and {report.anchors} anchors in {elapsed:.1f} s"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("audit trail intact: no problems found"))
            return
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(str(problem)))
        raise CommandError(f"{len(report.problems)} problem(s) found in the audit trail", returncode=1)

    def do_anchor(self, **options):
        anchor = anchor_heads()
        self.stdout.write(f"anchor {anchor.pk} at {anchor.at:%Y-%m-%d %H:%M:%S} covers {len(anchor.heads)} chains")
        self.stdout.write(f"hash {anchor.hash}")

    def do_show(self, object_type, object_id, limit, **options):
        rows = AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("at", "id")
        count = rows.count()
        if not count:
            raise CommandError(f"no audit rows for {object_type} {object_id}", returncode=1)
        for row in rows[:limit]:
            summary = " ".join(f"{k}={v}" for k, v in row.summary.items())
            self.stdout.write(
                f"{row.at:%Y-%m-%d %H:%M:%S} chain {row.chain} seq {row.seq}  {row.actor_label} "
                f"[{row.channel}] {row.action}  {summary}"
            )
        if count > limit:
            self.stdout.write(f"… {count - limit} more (use --limit)")
