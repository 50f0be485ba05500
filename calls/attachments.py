"""Attachments of applications: PDF only, checked by content, stored outside the public media.

A file is a PDF when its bytes say so: it starts with the ``%PDF-`` signature and a PDF parser reads at
least one page from it. The name and the declared content type are not trusted. Files live under the
private storage root (the ``PRIVATE_MEDIA_ROOT`` setting, by default ``var/private``), which no URL serves:
the only way to read one is the permission-checked download view. The size limit is the
``CALLS_ATTACHMENT_MAX_BYTES`` setting (10 MB by default); both come from the environment.
"""

import hashlib
import io
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_SIGNATURE = b"%PDF-"


def max_bytes() -> int:
    return settings.CALLS_ATTACHMENT_MAX_BYTES


def private_storage() -> FileSystemStorage:
    """The storage of applications' files: no base URL, so nothing in it is ever served directly."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def read_checked_pdf(upload) -> bytes:
    """The bytes of an uploaded PDF, or ValidationError (on ``file``) saying what is wrong with it."""
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size == 0:
        raise ValidationError({"file": [_("The file is empty.")]}, code="empty")
    if size is not None and size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is too large (%(size)s): the limit is %(limit)s.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
                ]
            },
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError({"file": [_("The file is empty.")]}, code="empty")
    if len(data) > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
                ]
            },
            code="too_large",
        )
    if not data.startswith(PDF_SIGNATURE):
        raise ValidationError(
            {"file": [_("This file is not a PDF (whatever its name says): only PDF files are accepted.")]},
            code="not_pdf",
        )
    if not _parses(data):
        raise ValidationError(
            {"file": [_("This PDF cannot be read: it is damaged or incomplete. Export it again and retry.")]},
            code="unreadable_pdf",
        )
    return data


def _parses(data: bytes) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) >= 1
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        return False


def store(*, application_id: int, data: bytes) -> tuple[str, str]:
    """Write the bytes under a random name; returns (path in the private storage, SHA-256)."""
    from django.core.files.base import ContentFile

    name = f"applications/{application_id}/{uuid.uuid4().hex}.pdf"
    path = private_storage().save(name, ContentFile(data))
    return path, hashlib.sha256(data).hexdigest()


def delete_quietly(path: str) -> None:
    try:
        private_storage().delete(path)
    except OSError:  # already gone: nothing to clean
        logger.warning("Could not delete attachment file %s", path)
