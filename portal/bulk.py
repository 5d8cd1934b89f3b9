"""Inserting many rows at once without building a model instance per row.

The deadline sweep writes thousands of audit entries, certificates, cases and outbox
messages per second; Django's ``bulk_create`` spends most of that time preparing
values field by field. On PostgreSQL this streams the tuples with COPY (text format);
elsewhere it falls back to ``bulk_create``.
"""

import io
import json
from datetime import date, datetime

from django.db import connection, models

def _escape(text: str) -> str:
    """Backslash, tab and line breaks escaped for COPY's text format (``str.translate``
    with a table is ten times slower on long texts)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text


_JSON = json.JSONEncoder(ensure_ascii=False)


class JsonText(str):
    """A value already serialised as JSON, for a JSON column (not serialised again)."""


def _copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    kind = type(value)
    if kind is str or kind is JsonText:
        return _escape(value)
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return _escape(_JSON.encode(value))
    return _escape(str(value))


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple], *,
                constants: dict | None = None) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``); ``constants`` are columns with the
    same value in every row, formatted once. On PostgreSQL this is one COPY."""
    if not rows:
        return
    constants = constants or {}
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(f).attname for f in [*fields, *constants]]
        tail = tuple(constants.values())
        model.objects.bulk_create([model(**{n: json.loads(v) if isinstance(v, JsonText) else v
                                            for n, v in zip(names, row + tail)}) for row in rows])
        return
    opts = model._meta
    columns = ", ".join(f'"{opts.get_field(f).column}"' for f in [*fields, *constants])
    tail = "".join("\t" + _copy_value(v) for v in constants.values()) + "\n"
    buffer = io.StringIO()
    write, join = buffer.write, "\t".join
    for row in rows:
        write(join(map(_copy_value, row)) + tail)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f'COPY "{opts.db_table}" ({columns}) FROM STDIN', buffer)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted with explicit ids (so that rows
    referring to them can be built before anything is written). On PostgreSQL they come from
    the table's sequence, safe alongside other writers; elsewhere after the highest id (SQLite
    has a single writer)."""
    opts = model._meta
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [opts.db_table, opts.pk.column, count])
            return [row[0] for row in cursor.fetchall()]
    start = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
    return list(range(start, start + count))


def insert_instances(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert unsaved instances (primary key set, see ``reserve_ids``) with every concrete
    column, defaults included, in one COPY."""
    fields = model._meta.concrete_fields
    insert_rows(model, [f.name for f in fields], [tuple(getattr(o, f.attname) for f in fields) for o in objects])
