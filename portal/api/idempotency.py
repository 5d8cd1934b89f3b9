"""``Idempotency-Key`` on create endpoints: a retried request gets the first answer."""

from functools import wraps

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from portal.api.models import IdempotencyRecord


def idempotent(view_method):
    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()[:128]
        if not key or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        endpoint = request.path
        previous = IdempotencyRecord.objects.filter(user=request.user, key=key, endpoint=endpoint).first()
        if previous is not None:
            return Response(previous.body, status=previous.status_code, headers={"Idempotent-Replayed": "true"})
        response = view_method(self, request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(user=request.user, key=key, endpoint=endpoint,
                                                     status_code=response.status_code, body=response.data)
            except IntegrityError:
                pass
        return response

    return wrapper
