"""``Idempotency-Key`` on every create: a retried request gets the first answer, and only one
of any number of simultaneous requests with the key does the work.

The key is claimed before the work, by inserting its record under a unique constraint on
(caller, key) in the transaction that does the work. A second request with the same key
waits on that insert until the first commits, then finds the record and replays its answer;
if the first failed, its record went with its rollback and the second does the work itself.
The record keeps a hash of the request: the same key with another request (another body or
another endpoint) is refused with 422 ``idempotency_key_reused``, never answered with the
first request's result. Callers are users by account and anonymous clients by address
(``portal.api.client.client_ip``)."""

import hashlib
import json
from functools import wraps

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.response import Response

from portal.api.client import client_ip
from portal.api.models import IdempotencyRecord
from portal.errors import DomainError, ValidationFailed

KEY_MAX_LENGTH = 128


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"


def caller_identity(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"anonymous:{client_ip(request)}"


def _canonical(value):
    if isinstance(value, QueryDict):
        return {k: [_canonical(v) for v in value.getlist(k)] for k in sorted(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def request_fingerprint(request) -> str:
    """A hash of what the request asks: method, path and body (files by content)."""
    payload = json.dumps([request.method, request.path, _canonical(request.data)], sort_keys=True,
                         default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _key(request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > KEY_MAX_LENGTH or not key.isascii() or not key.isprintable():
        message = _("An Idempotency-Key has at most %(n)d printable ASCII characters.") % {"n": KEY_MAX_LENGTH}
        raise ValidationFailed(message, code="invalid_idempotency_key", fields={"Idempotency-Key": [message]})
    return key


def idempotent(view_method):
    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        caller, fingerprint = caller_identity(request), request_fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(caller=caller, key=key, endpoint=request.path[:200],
                                                              request_hash=fingerprint)
            except IntegrityError:
                previous = IdempotencyRecord.objects.get(caller=caller, key=key)
                if previous.request_hash != fingerprint:
                    raise IdempotencyKeyReused(
                        _("This Idempotency-Key was already used for a different request.")) from None
                return Response(previous.body, status=previous.status_code, headers={"Idempotent-Replayed": "true"})
            response = view_method(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                record.status_code, record.body = response.status_code, response.data
                record.save(update_fields=["status_code", "body"])
            else:
                record.delete()
            return response

    return wrapper
