"""Where applications' attachments are stored and how large they may be come from the environment
(PRIVATE_MEDIA_ROOT, CALLS_ATTACHMENT_MAX_BYTES), read once by the settings and used by calls.attachments."""

from pathlib import Path

import pytest
from django.test import override_settings

from calls import attachments
from tests.common.test_settings import PROJECT_ROOT, _manage

SHOW = (
    "from django.conf import settings; "
    "print('SETTINGS', settings.PRIVATE_MEDIA_ROOT, settings.CALLS_ATTACHMENT_MAX_BYTES)"
)


def _shown(**variables: str) -> str:
    result = _manage("shell", "-v", "0", "-c", SHOW, DJANGO_DEBUG="true", **variables)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("SETTINGS "))


def test_attachments_default_to_var_private_and_10_mb():
    assert _shown() == f"SETTINGS {PROJECT_ROOT / 'var' / 'private'} 10485760"


def test_attachments_root_and_limit_come_from_the_environment(tmp_path):
    assert _shown(PRIVATE_MEDIA_ROOT=str(tmp_path), CALLS_ATTACHMENT_MAX_BYTES="2048") == (
        f"SETTINGS {tmp_path} 2048"
    )


@pytest.mark.parametrize("limit", ["ten", "0", "-5"])
def test_a_malformed_attachment_limit_refuses_to_start_naming_the_variable(limit):
    result = _manage("check", DJANGO_DEBUG="true", CALLS_ATTACHMENT_MAX_BYTES=limit)

    assert result.returncode == 1
    assert "ImproperlyConfigured: CALLS_ATTACHMENT_MAX_BYTES must be a positive whole number" in result.stderr


def test_attachments_are_stored_under_the_private_root_with_the_configured_limit(tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path / "vault", CALLS_ATTACHMENT_MAX_BYTES=4096):
        storage = attachments.private_storage()

        assert (Path(storage.location), attachments.max_bytes()) == (tmp_path / "vault", 4096)
