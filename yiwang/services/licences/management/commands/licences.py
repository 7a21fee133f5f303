"""``yiwang licences``: the licence library's signing keys.

yiwang licences rotate-key [--algorithm ES256]   a new key signs from now on; older keys still verify
yiwang licences retire-key [--] KID              the key stops verifying (its licences become invalid);
                                                 a kid that begins with "-" follows "--"
yiwang licences keys                             list keys (newest first; * marks the signing key)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel
from yiwang.services.licences.keys import retire_key, rotate_key
from yiwang.services.licences.models import SigningKey


class Command(BaseCommand):
    help = "Manage the signing keys of the electronic licence library."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        rotate = sub.add_parser("rotate-key", help="create a new signing key (it signs from now on)")
        rotate.add_argument("--algorithm", default=None, help="a registered algorithm (default: ES256)")
        retire = sub.add_parser("retire-key", help="retire a key: it no longer verifies")
        retire.add_argument("kid", help='the key id (`yiwang licences keys`); one that begins with "-" after "--"')
        sub.add_parser("keys", help="list the signing keys")

    def handle(self, *args, subcommand, **options):
        actor = Actor.system(Channel.CLI)
        try:
            if subcommand == "rotate-key":
                key = rotate_key(actor, algorithm=options["algorithm"])
                self.stdout.write(f"new signing key {key.kid} ({key.algorithm})")
            elif subcommand == "retire-key":
                key = SigningKey.objects.filter(kid=options["kid"]).first()
                if key is None:
                    raise CommandError(f"no signing key {options['kid']!r}")
                retire_key(actor, key)
                self.stdout.write(f"retired {key.kid}: licences it signed no longer verify")
            else:
                signing = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).first()
                for key in SigningKey.objects.all():
                    mark = "*" if signing is not None and key.pk == signing.pk else " "
                    count = key.licences.count()
                    self.stdout.write(
                        f"{mark} {key.kid}  {key.algorithm}  {key.status}  {key.created_at:%Y-%m-%d}  {count} licences"
                    )
        except (ActionError, ValueError) as error:
            raise CommandError(str(getattr(error, "message", error))) from error
