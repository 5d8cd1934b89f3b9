"""Checks on uploaded materials: the type is read from the content, never from the name."""

import hashlib
import re

import filetype
from django.conf import settings
from django.http import FileResponse
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


_UNSAFE_IN_FILE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f\\/:*?"<>|;]+')


def served_file_name(material) -> str:
    """The name a material is downloaded under: the material's own name (from the catalogue)
    and the extension of the type read from its content. The uploader's file name is never
    used: a PDF uploaded as ``poly.html`` must not reach a browser as HTML."""
    stem = _UNSAFE_IN_FILE_NAME.sub("_", material.requirement.name).strip(" ._") or material.requirement.code
    return f"{stem[:100]}.{ALLOWED.get(material.content_type, 'bin')}"


def material_file_response(material) -> FileResponse:
    """A stored material as a download (API and pages alike): its sniffed type, the served
    name above in a safely encoded Content-Disposition, and no sniffing by the browser."""
    response = FileResponse(material.file.open("rb"), content_type=material.content_type, as_attachment=True,
                            filename=served_file_name(material))
    response["X-Content-Type-Options"] = "nosniff"
    return response
