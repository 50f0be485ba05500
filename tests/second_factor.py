"""Second-factor helpers for tests: enrol an account, and compute the code an authenticator app would show."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

TEST_SECRET = base64.b32encode(b"test-second-factor!!").decode()


def totp_code(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), written out with the standard library, independent of allauth."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def secret_of(user) -> str:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]


def enrol(user, *, secret: str = TEST_SECRET) -> list[str]:
    """Give ``user`` an authenticator app with ``secret`` and recovery codes; return the codes."""
    TOTP.activate(user, secret)
    return RecoveryCodes.activate(user).get_unused_codes()
