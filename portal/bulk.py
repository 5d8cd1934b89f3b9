"""Inserting many rows at once without building a model instance per row.

The deadline sweep writes thousands of audit entries, certificates, cases and outbox
messages per second; Django's ``bulk_create`` spends most of that time preparing
values field by field. On PostgreSQL this sends the tuples with psycopg2's
``execute_values``; elsewhere it falls back to ``bulk_create``.
"""

import uuid

from django.db import connection, models


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple], *,
                ignore_conflicts: bool = False) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        names = [model._meta.get_field(f).attname for f in fields]
        model.objects.bulk_create([model(**dict(zip(names, row))) for row in rows],
                                  ignore_conflicts=ignore_conflicts)
        return
    from psycopg2.extras import Json, execute_values

    opts = model._meta
    json_columns = {i for i, f in enumerate(fields) if isinstance(opts.get_field(f), models.JSONField)}
    uuid_columns = {i for i, f in enumerate(fields) if isinstance(opts.get_field(f), models.UUIDField)}

    def adapt(row):
        if not json_columns and not uuid_columns:
            return row
        return tuple(
            Json(v) if i in json_columns else (str(v) if i in uuid_columns and isinstance(v, uuid.UUID) else v)
            for i, v in enumerate(row)
        )

    columns = ", ".join(f'"{opts.get_field(f).column}"' for f in fields)
    sql = f'INSERT INTO "{opts.db_table}" ({columns}) VALUES %s'
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, [adapt(r) for r in rows], page_size=2000)
