"""The OpenAPI schema (drf-spectacular) says what the API really answers.

- Every operation lists the error statuses it can answer (``ErrorOutput``, the one error
  shape of SPEC §6), next to its success responses: 400 when it reads a body or a query,
  401/403 unless it is open to everybody without credentials (403 all the same when it
  reads a body: the service may refuse), 404 when its path or
  its body names an object, 409 when it changes something, 413/415 when it reads a body, 429 when it is
  throttled.
- The list endpoints answer pages; ``page_of`` names the page of an output serializer
  (``paginated``: DRF's limit/offset page, ``keyset``: portal.pagination's).
- ``ObjectActionApi`` views declare their body (``serializer_class``) and their answer
  (``output_serializer``); ``ObjectDetailApi`` and ``ObjectListApi`` views their answer (of a
  list: one row), a list its filters (``query_parameters``) and pagination (``keyset_order``),
  and either the GET's ``operation_id``; ``PortalAutoSchema`` documents them
  (portal.api.objects).

``manage.py spectacular --validate --fail-on-warn`` runs in ``make check``; the schema fuzz
test (tests/api/test_schema_fuzz.py) checks every answer against this schema.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_lib_doc_excludes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from portal.api.actions import ObjectActionApi, ObjectCreateApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi

ERROR_STATUSES = {
    "400": "Validation failed (code `invalid` or a domain code); `fields` names the fields.",
    "401": "Not authenticated, or the token is not valid.",
    "403": "Not allowed.",
    "404": "Not found, or not visible to the caller.",
    "409": "Not possible in the current state, or another request got there first.",
    "413": "Too large.",
    "415": "Unsupported media type or file type.",
    "429": "Throttled.",
}


class ErrorOutput(serializers.Serializer):
    """Every error (SPEC §6): ``{"code", "detail", "fields"}``."""

    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(help_text="field name → list of messages (or nested errors)")


class EventOutput(serializers.Serializer):
    """One entry of an object's history."""

    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


# The query of a keyset-paginated list (portal.pagination.KeysetPagination).
KEYSET_PARAMETERS = [
    OpenApiParameter("limit", int, description="rows per page (at most 200; default 50)"),
    OpenApiParameter("cursor", str, description="from a page's `next` or `previous` link"),
    OpenApiParameter("offset", int, description="rows to skip (costs what it skips; prefer `cursor`)"),
]
# The query of a limit/offset-paginated list (DRF's LimitOffsetPagination).
LIMIT_OFFSET_PARAMETERS = [
    OpenApiParameter("limit", int, description="rows per page"),
    OpenApiParameter("offset", int, description="rows to skip"),
]

_PAGES: dict[tuple, type] = {}


def page_of(output: type[serializers.Serializer], *, keyset: bool = False) -> type[serializers.Serializer]:
    """The serializer describing one page of ``output`` rows: DRF's limit/offset page
    ``{count, next, previous, results}``, or with ``keyset`` portal.pagination's page, which
    adds ``count_exact``. One class per row serializer, so each page is one component."""
    key = (output, keyset)
    if key not in _PAGES:
        name = output.__name__.removesuffix("Output")
        fields = {
            "count": serializers.IntegerField(
                help_text="rows in the list (with `count_exact` false: at least this many)" if keyset else None),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": output(many=True),
        }
        if keyset:
            fields["count_exact"] = serializers.BooleanField()
        _PAGES[key] = type(f"{name}{'Keyset' if keyset else ''}Page", (serializers.Serializer,), {
            **fields, "__module__": output.__module__,
            "__doc__": f"A page of {name} rows" + (" (keyset pagination)." if keyset else "."),
        })
    return _PAGES[key]


def _open_to_everybody(view) -> bool:
    """No credentials needed and none checked (so neither 401 nor 403 can come)."""
    permissions = view.get_permissions()
    return (all(isinstance(p, AllowAny) for p in permissions)
            and not view.get_authenticators())


def doc_excludes() -> list[type]:
    """Classes whose docstrings are not an operation's description (SPECTACULAR_SETTINGS
    GET_LIB_DOC_EXCLUDES): DRF's and drf-spectacular's, and the generic object views, which say
    how the code works, not what the endpoint does."""
    return [*get_lib_doc_excludes(), ObjectApi, ObjectDetailApi, ObjectListApi, ObjectActionApi, ObjectCreateApi]


class PortalAutoSchema(AutoSchema):
    def _resolve_path_parameters(self, variables):
        """What the URL converters match: ``<int:…>`` digits only (no sign), ``<str:…>`` one
        or more characters but no slash; anything else is not the operation's path."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "integer":
                schema.setdefault("minimum", 0)
            elif schema.get("type") == "string" and "pattern" not in schema:
                schema.update(minLength=1, pattern="^[^/]+$")
        return parameters

    def get_response_serializers(self):
        view = self.view
        if self.method == "POST" and isinstance(view, ObjectActionApi):
            return {view.success_status: view.output_serializer}
        if self.method == "POST" and isinstance(view, ObjectCreateApi):
            return {201: view.output_serializer}
        if self.method == "GET" and isinstance(view, ObjectListApi):
            return page_of(view.output_serializer, keyset=view.keyset_order is not None)
        if self.method == "GET" and isinstance(view, ObjectDetailApi):
            return view.output_serializer
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET" and isinstance(self.view, ObjectListApi):
            paging = KEYSET_PARAMETERS if self.view.keyset_order is not None else LIMIT_OFFSET_PARAMETERS
            parameters = [*parameters, *self.view.query_parameters, *paging]
        return parameters

    def get_operation_id(self):
        if self.method == "GET" and isinstance(self.view, (ObjectListApi, ObjectDetailApi)) \
                and self.view.operation_id:
            return self.view.operation_id
        return super().get_operation_id()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        method = self.method
        reads_body = method in ("POST", "PUT", "PATCH")
        codes = []
        if reads_body or self._get_parameters():
            codes.append("400")
        if not _open_to_everybody(self.view):
            codes += ["401", "403"]
        else:
            if self.view.get_authenticators():
                codes.append("401")
            if reads_body:  # a service may still refuse the caller (a forged payment notice, …)
                codes.append("403")
        if "{" in self.path or reads_body:  # a body names objects too (a service, an order, …)
            codes.append("404")
        if reads_body:
            codes += ["409", "413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        error = self._get_response_for_code(ErrorOutput, "400", direction=direction)
        for code in codes:
            if code not in responses:
                responses[code] = {**error, "description": ERROR_STATUSES[code]}
        return responses
