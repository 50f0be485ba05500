"""``manage.py create_partner_key NAME [--scope …] [--canceropole CODE] [--expires YYYY-MM-DD]``."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import services
from accounts.models import PartnerScope
from canceropoles.models import Canceropole


class Command(BaseCommand):
    help = (
        "Create a read-only API key for the partner NAME (created if new) and print the key, once: "
        "only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the partner's name")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            metavar="SCOPE",
            help=f"resource the key may read beyond the public data, repeatable or comma-separated: "
            f"{', '.join(PartnerScope.values)}",
        )
        parser.add_argument(
            "--canceropole",
            action="append",
            default=[],
            metavar="CODE",
            help="pole whose data the scopes open (repeatable; none: every pole), e.g. GSO",
        )
        parser.add_argument("--expires", metavar="YYYY-MM-DD", help="last day the key works (Paris time)")
        parser.add_argument("--key-name", help="name of the key (default: the partner's name)")

    def handle(self, *args, name, scope, canceropole, expires, key_name, **options):
        scopes = [part.strip() for item in scope for part in item.split(",") if part.strip()]
        codes = [code.strip().upper() for item in canceropole for code in item.split(",") if code.strip()]
        poles = list(Canceropole.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {pole.code for pole in poles})
        if missing:
            raise CommandError(f"Unknown cancéropôle code: {', '.join(missing)}.")
        expires_at = None
        if expires:
            try:
                day = datetime.date.fromisoformat(expires)
            except ValueError:
                raise CommandError(f"--expires: {expires!r} is not a date (YYYY-MM-DD).") from None
            # The key works through the whole of its last day.
            expires_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        try:
            partner = services.partner_get_or_create(name=name)
            key, secret = services.partner_key_create(
                partner=partner,
                name=key_name or name,
                scopes=scopes,
                canceropoles=poles,
                expires_at=expires_at,
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
            raise CommandError(messages) from None
        self.stderr.write(
            f"Key {key.prefix} for {partner.name}: scopes {', '.join(key.scopes) or 'none (public data)'}; "
            f"poles {', '.join(sorted(codes)) or 'all'}; "
            f"expires {expires_at.isoformat() if expires_at else 'never'}. "
            "Store it now: it is shown only once. Send it as 'Authorization: Api-Key <key>'."
        )
        self.stdout.write(secret)
