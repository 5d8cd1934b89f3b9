"""Keyset pagination (分页) for lists that grow to millions of rows.

A page is "the next ``limit`` rows after this row" in a fixed order whose last key is the
primary key, so every page costs one index range scan, whatever its depth (an OFFSET reads
and throws away every row before the page). The position travels in an opaque ``cursor``
(the keys of the row the page starts after, or before when going back). Ordering keys are
all ascending or all descending; the first may be nullable, and NULLs sort last in an
ascending order (first in a descending one), as PostgreSQL sorts them.

The response keeps the shape of DRF's limit/offset pagination (``count``, ``next``,
``previous``, ``results``), so clients written for it keep working, with one difference
said out loud: ``count`` is exact up to ``COUNT_LIMIT`` rows and capped there, and
``count_exact`` tells which. Counting a million rows on every page would cost more than
the page; counting up to the cap is one bounded index scan. ``?offset=`` is still honoured
(it costs what it skips), and its ``next`` link continues by cursor.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import LimitOffsetPagination

from portal.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Above this many rows a list says "at least COUNT_LIMIT" (count_exact false).
COUNT_LIMIT = 1000
# ?offset= skips at most this many rows (it costs what it skips; deeper pages go by cursor);
# a larger ?limit= or ?offset= is refused (400), as are negative and non-numeric ones.
MAX_OFFSET = 1_000_000
BIGINT = 2**63 - 1


@dataclass(frozen=True)
class Ordering:
    """The order of a list: ``keys`` end with the primary key; ``nullable`` says the first
    key may be NULL (sorted last when ascending)."""

    keys: tuple[str, ...]
    descending: bool = False
    nullable: bool = False

    def order_by(self, reverse: bool = False) -> list:
        descending = self.descending != reverse
        exprs = []
        for i, key in enumerate(self.keys):
            expr = F(key)
            if i == 0 and self.nullable:
                # NULLs after every value in the forward direction, before them in reverse.
                exprs.append(expr.desc(nulls_first=True) if descending else expr.asc(nulls_last=True))
            else:
                exprs.append(expr.desc() if descending else expr.asc())
        return exprs

    def values_of(self, obj) -> list:
        return [getattr(obj, key) for key in self.keys]

    def beyond(self, values: list, reverse: bool = False) -> list[Q]:
        """Rows strictly after ``values`` in this order (strictly before when ``reverse``), as
        conditions to read one after the other: each is a single range of an index in the
        list's order (an OR of a range and ``IS NULL`` would make PostgreSQL filter the index
        from its start)."""
        greater = self.descending == reverse  # ascending forward, or descending backward
        lookup = TupleGreaterThan if greater else TupleLessThan
        if not self.nullable:
            return [Q(lookup(Tuple(*self.keys), values))]
        head, rest = self.keys[0], self.keys[1:]
        is_null, not_null = Q(**{f"{head}__isnull": True}), Q(**{f"{head}__isnull": False})
        # NULL is the largest value of the first key ("nulls last" when ascending).
        if values[0] is None:
            among_nulls = is_null & Q(lookup(Tuple(*rest), values[1:]))
            return [among_nulls] if greater else [among_nulls, not_null]
        beyond = Q(lookup(Tuple(*self.keys), values))
        return [beyond, is_null] if greater else [beyond]


@dataclass
class Page:
    items: list
    next_cursor: str | None
    previous_cursor: str | None
    previous_offset: int | None = None


def _encode(values: list, reverse: bool) -> str:
    raw = json.dumps({"k": [v.isoformat() if hasattr(v, "isoformat") else v for v in values],
                      "r": int(reverse)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, queryset: QuerySet, ordering: Ordering) -> tuple[list, bool]:
    invalid = ValidationFailed(_("The cursor is not valid."), code="invalid_cursor",
                               fields={"cursor": [_("The cursor is not valid.")]})
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        raw, reverse = data["k"], bool(data["r"])
        if not isinstance(raw, list) or len(raw) != len(ordering.keys):
            raise invalid
        model = queryset.model
        values = []
        for i, (key, value) in enumerate(zip(ordering.keys, raw)):
            if value is None and not (i == 0 and ordering.nullable):
                raise invalid
            model_field = model._meta.pk if key in ("pk", "id") else model._meta.get_field(key)
            value = None if value is None else model_field.to_python(value)
            if isinstance(value, int) and not -BIGINT <= value <= BIGINT:
                raise invalid
            values.append(value)
        return values, reverse
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, ValidationError) as error:
        raise invalid from error


def _int_param(value, default: int, maximum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if number < 0:
        return default
    return min(number, maximum) if maximum is not None else number


def page_params(params, max_limit: int = MAX_LIMIT) -> tuple[int, int | None]:
    """``?limit=`` (DEFAULT_LIMIT when absent; above ``max_limit`` it gives ``max_limit``) and
    ``?offset=`` (None when absent), each a whole number from 0 (limit: 1) to MAX_OFFSET;
    anything else is a field error (400), never a number the database cannot take."""
    errors = {}

    def whole(name, low, high):
        raw = params.get(name)
        if raw is None or raw == "":
            return None
        if not (isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 18
                and low <= int(raw) <= high):
            errors[name] = [_("%(name)s must be a whole number from %(low)d to %(high)d.")
                            % {"name": name, "low": low, "high": high}]
            return None
        return int(raw)

    limit = whole("limit", 1, MAX_OFFSET)
    offset = whole("offset", 0, MAX_OFFSET)
    if errors:
        raise ValidationFailed(fields=errors)
    return min(limit or DEFAULT_LIMIT, max_limit), offset


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """DRF's limit/offset pagination with the bounds of ``page_params`` (the lists that are
    not keyset-paginated)."""

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def paginate_queryset(self, queryset, request, view=None):
        self.bounded = page_params(request.query_params)
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request):
        return self.bounded[0]

    def get_offset(self, request):
        return self.bounded[1] or 0


def keyset_page(queryset: QuerySet, ordering: Ordering, *, cursor: str | None = None,
                limit: int = DEFAULT_LIMIT, offset: int | None = None) -> Page:
    """One page of ``queryset`` in ``ordering``: after/before the row in ``cursor``, or at
    ``offset`` (legacy, costs what it skips), or the first page."""
    reverse = False
    start = 0 if cursor else (offset or 0)
    if cursor:
        values, reverse = _decode(cursor, queryset, ordering)
        rows = []
        for condition in ordering.beyond(values, reverse=reverse):
            ordered = queryset.filter(condition).order_by(*ordering.order_by(reverse=reverse))
            rows += list(ordered[:limit + 1 - len(rows)])
            if len(rows) > limit:
                break
    else:
        rows = list(queryset.order_by(*ordering.order_by())[start:start + limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if reverse:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, bool(cursor) or start > 0
    next_cursor = _encode(ordering.values_of(rows[-1]), False) if has_next and rows else None
    previous_cursor = previous_offset = None
    if has_previous and rows:
        previous_cursor = _encode(ordering.values_of(rows[0]), True)
    elif has_previous and not cursor:  # an offset past the end
        previous_offset = max(0, start - limit)
    return Page(rows, next_cursor, previous_cursor, previous_offset)


def bounded_count(queryset: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """How many rows, counted up to ``limit`` (COUNT_LIMIT): (count, exact). Count in the
    list's order (``queryset`` ordered): PostgreSQL then plans it like the page, a walk of
    the index that stops at the limit, not a scan that prepares for every row."""
    limit = COUNT_LIMIT if limit is None else limit
    return _bounded(queryset[:limit + 1].count(), limit)


def _bounded(counted: int, limit: int) -> tuple[int, bool]:
    return (counted, True) if counted <= limit else (limit, False)


@dataclass
class FirstPage:
    """A list's first page read by its caller (``KeysetPagination.paginate_read``)."""

    rows: list  # the list's first ``limit + 1`` rows, in its order
    count: Callable[[], int]  # the list's rows counted up to COUNT_LIMIT + 1, as bounded_count counts them


def page_context(request, queryset: QuerySet, ordering: Ordering, *, limit: int, param: str = "cursor") -> dict:
    """A server-rendered list: ``items`` and the ``next_url``/``previous_url`` of the pager
    (templates/_pager.html). ``?limit=`` may ask for fewer rows; a mangled cursor shows the
    first page. A page with two lists pages the second by another ``param``; each link keeps
    the other list's position."""
    limit = _int_param(request.GET.get("limit"), limit, MAX_LIMIT) or limit
    try:
        page = keyset_page(queryset, ordering, cursor=request.GET.get(param) or None, limit=limit)
    except ValidationFailed:
        page = keyset_page(queryset, ordering, limit=limit)

    def link(cursor):
        query = request.GET.copy()
        query[param] = cursor
        return "?" + query.urlencode()

    return {
        "items": page.items,
        "next_url": link(page.next_cursor) if page.next_cursor else None,
        "previous_url": link(page.previous_cursor) if page.previous_cursor else None,
    }


class KeysetPagination:
    """DRF-style paginator over ``keyset_page``: ``?limit=`` (≤ MAX_LIMIT), ``?cursor=`` from
    the ``next``/``previous`` links, or ``?offset=``."""

    def __init__(self, ordering: Ordering):
        self.ordering = ordering

    def paginate(self, queryset: QuerySet, request, *, counted: QuerySet | None = None,
                 count: Callable[[], int] | None = None) -> Page:
        """A page of ``queryset``; the count, when one is needed, of ``counted`` (the same rows,
        default ``queryset`` itself), or ``count()`` (the same rows counted up to COUNT_LIMIT + 1
        by the caller, as bounded_count counts them: a count prepared once, say)."""
        params = request.query_params
        limit, offset = page_params(params)
        self.request, self.limit = request, limit
        self.page = keyset_page(queryset, self.ordering, cursor=params.get("cursor") or None,
                                limit=limit, offset=offset)
        return self._counted(lambda: queryset if counted is None else counted,
                             first=not params.get("cursor") and not offset, count=count)

    def paginate_read(self, request, rows: Callable[[], QuerySet],
                      first_page: Callable[[int], "FirstPage | None"],
                      counted: Callable[[], QuerySet] | None = None, count: Callable[[], int] | None = None) -> Page:
        """``paginate(rows(), counted=counted(), count=count)``, where the first page (no cursor,
        no offset) may be read by ``first_page(limit)`` (statements prepared once, say), or None to
        read it from ``rows()``, which is built only then or for another page."""
        params = request.query_params
        limit, offset = page_params(params)
        read = None if params.get("cursor") or offset else first_page(limit)
        if read is None:
            return self.paginate(rows(), request, counted=counted() if counted is not None else None, count=count)
        self.request, self.limit = request, limit
        items = read.rows[:limit]
        more = len(read.rows) > limit
        self.page = Page(items, _encode(self.ordering.values_of(items[-1]), False) if more and items else None, None)
        if self.page.next_cursor is None:
            self.count, self.count_exact = len(items), True  # the whole list is on this page
        else:
            self.count, self.count_exact = _bounded(read.count(), COUNT_LIMIT)
        return self.page

    def _counted(self, counted: Callable[[], QuerySet], *, first: bool, count: Callable[[], int] | None = None) -> Page:
        if self.page.next_cursor is None and first:
            self.count, self.count_exact = len(self.page.items), True  # the whole list is on this page
        elif count is not None:
            self.count, self.count_exact = _bounded(count(), COUNT_LIMIT)
        else:
            self.count, self.count_exact = bounded_count(counted().order_by(*self.ordering.order_by()))
        return self.page

    def _link(self, **params) -> str:
        query = self.request.query_params.copy()
        for key in ("cursor", "offset"):
            query.pop(key, None)
        query["limit"] = str(self.limit)
        for key, value in params.items():
            query[key] = str(value)
        return self.request.build_absolute_uri(self.request.path) + "?" + query.urlencode()

    def response_data(self, results: list) -> dict:
        page = self.page
        previous = None
        if page.previous_cursor:
            previous = self._link(cursor=page.previous_cursor)
        elif page.previous_offset is not None:
            previous = self._link(offset=page.previous_offset) if page.previous_offset else self._link()
        return {
            "count": self.count,
            "count_exact": self.count_exact,
            "next": self._link(cursor=page.next_cursor) if page.next_cursor else None,
            "previous": previous,
            "results": results,
        }

    @staticmethod
    def schema(results_schema: dict) -> dict:
        """The OpenAPI schema of a page (drf-spectacular)."""
        return {
            "type": "object",
            "required": ["count", "count_exact", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": f"rows in the list, counted up to {COUNT_LIMIT}"},
                "count_exact": {"type": "boolean",
                                "description": f"false when the list has more than {COUNT_LIMIT} rows"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": {"type": "array", "items": results_schema},
            },
        }
