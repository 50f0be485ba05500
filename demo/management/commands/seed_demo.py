from django.conf import settings
from django.core.management.base import BaseCommand

from demo.seed import seed_all


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
