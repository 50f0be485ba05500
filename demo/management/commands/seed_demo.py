from django.conf import settings
from django.core.management.base import BaseCommand

from demo.seed import DEMO_TOTP_SECRET, seed_all


class Command(BaseCommand):
    help = (
        "Load the 7 cancéropôles and coherent demo data (idempotent, deterministic) and list the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=None, help="Demo password (default: DEMO_PASSWORD setting)."
        )

    def handle(self, *args, password=None, **options):
        password = password or settings.DEMO_PASSWORD
        accounts = seed_all(password=password)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password: {password}):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<42} {account.persona}")
        self.stdout.write(
            "Two-factor authentication (required of INCa staff, directors and the administrator):\n"
            + "".join(f"  {account.email}\n" for account in accounts if account.second_factor)
            + "  after the password, enter the code of an authenticator app set up with the key\n"
            f"  {DEMO_TOTP_SECRET} (one entry serves all these accounts), or the code printed by:\n"
            "  python manage.py demo_totp"
        )
