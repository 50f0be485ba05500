import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from demo.seed import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo accounts (seed_demo), for a demo without an "
        "authenticator app."
    )

    def handle(self, *args, **options):
        now = int(time.time())
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (valid {period - now % period} s more; key {DEMO_TOTP_SECRET})")
