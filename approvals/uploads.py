"""Checks on uploaded materials: the type is read from the content, never from the name."""

import hashlib

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from portal.errors import PayloadTooLarge, UnsupportedFileType

ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}


def sniff_upload(uploaded_file) -> tuple[str, str, str]:
    """Return (content_type, extension, sha256) or raise 413/415 domain errors."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise PayloadTooLarge(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": uploaded_file.size / 1_048_576, "limit": limit // 1_048_576},
            fields={"file": [_("File too large.")]},
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise UnsupportedFileType(
            _("Only PDF, JPEG and PNG files are accepted; this file's content is not one of them."),
            fields={"file": [_("Unsupported file type.")]},
        )
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return kind.mime, ALLOWED[kind.mime], digest.hexdigest()
