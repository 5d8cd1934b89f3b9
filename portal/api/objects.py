"""One shape for the object endpoints: GET …/{id}/ (``ObjectDetailApi``), POST
…/{id}/<action>/ (portal.api.actions.ObjectActionApi) and GET …/ lists (``ObjectListApi``).

A domain writes ``find`` (or ``visible``) and ``show`` once, on a base of its own derived from
``ObjectApi``, and mixes it with ``ObjectDetailApi`` and ``ObjectActionApi`` (and
``ObjectListApi``)::

    class CaseApi(ObjectApi):             # find + show
    class CaseDetailApi(ObjectDetailApi, CaseApi)
    class CaseActionApi(ObjectActionApi, CaseApi)

The schema (portal.api.schema.PortalAutoSchema) reads what these classes declare:
``output_serializer`` is the answer (of a list: one row, in a page), ``operation_id`` names the
GET where drf-spectacular's own name is not the published one, ``query_parameters`` are a list's
filters.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import NotFound
from portal.pagination import BoundedLimitOffsetPagination, KeysetPagination, Ordering


class ObjectApi(APIView):
    """The object a path names: ``find`` it among those the caller may see (a 404 otherwise:
    by default among ``visible``; a domain whose permissions module finds it overrides
    ``find``), ``show`` it (by default as ``output_serializer`` renders it; a domain whose
    answer a function renders overrides ``show``)."""

    output_serializer: type[serializers.Serializer] | None = None
    # The path's name for the object (``<int:pk>``; ``<str:code>`` where it is known by code):
    # its value is what ``find`` is given.
    lookup_url_kwarg = "pk"

    def visible(self, request) -> QuerySet:
        raise NotImplementedError

    def find(self, request, pk: int):
        try:
            return self.visible(request).get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise NotFound() from None

    def show(self, request, obj) -> dict:
        return self.output_serializer(obj).data

    def reload(self, request, obj, key):
        """The object as it is after an action the caller was allowed to take on it (by default
        found again; a domain whose ``find`` is costly reads it again by its key alone: the
        caller saw it a moment ago, in the same request)."""
        return self.find(request, key)


class ObjectDetailApi(ObjectApi):
    """GET …/{id}/: the object as ``show`` renders it."""

    operation_id: str | None = None

    def get(self, request, **kwargs):
        return Response(self.show(request, self.find(request, kwargs[self.lookup_url_kwarg])))


class ObjectListApi(ObjectApi):
    """GET …/: one page of ``rows`` (the caller's, filtered by the query, in the list's order),
    each rendered by ``show_rows`` (by default ``output_serializer``; a list whose rows a
    function renders overrides it). Pages are limit/offset (BoundedLimitOffsetPagination), or
    keyset pages in ``keyset_order`` when it is set (portal.pagination.KeysetPagination).
    A domain's base (its ``visible`` and ``output_serializer``) may be mixed in."""

    operation_id: str | None = None
    query_parameters: list = []
    keyset_order: Ordering | None = None
    # The columns a page reads, as named rows (``values_list``), when ``show_rows`` renders rows
    # rather than models. The count is taken on ``rows`` as they are, before the columns: the
    # joins that only fetch a column stay out of it (the reviewer's queue at a million, 1.5 ->
    # 0.16 ms of PostgreSQL a page).
    columns: tuple[str, ...] | None = None

    def rows(self, request) -> QuerySet:
        raise NotImplementedError

    def show_rows(self, request, rows) -> list:
        return self.output_serializer(rows, many=True).data

    def get(self, request):
        if self.keyset_order is not None:
            paginator = KeysetPagination(self.keyset_order)
            rows = self.rows(request)
            shown = rows.values_list(*self.columns, named=True) if self.columns else rows
            page = paginator.paginate(shown, request, counted=rows)
            return Response(paginator.response_data(self.show_rows(request, page.items)))
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(self.rows(request), request, view=self)
        return paginator.get_paginated_response(self.show_rows(request, page))
