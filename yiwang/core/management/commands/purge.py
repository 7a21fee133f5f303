"""``yiwang purge [--dry-run]`` — remove personal data past its retention period (settings.RETENTION_DAYS)."""

from django.core.management.base import BaseCommand

from yiwang.core.retention import purge_expired, purgers


class Command(BaseCommand):
    help = "Purge personal data older than its retention period; --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be purged, change nothing")

    def handle(self, *args, dry_run=False, **options):
        self.stdout.write(
            f"{len(purgers())} purger(s) registered" + (" — dry run, nothing is changed" if dry_run else "")
        )

        def progress(purger, cutoff, count):
            verb = "would purge" if dry_run else "purged"
            self.stdout.write(f"  {purger.name} ({purger.data_class}, before {cutoff:%Y-%m-%d}): {verb} {count}")

        counts = purge_expired(dry_run=dry_run, progress=progress)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"{'would purge' if dry_run else 'purged'} {total} record(s) in total"))
