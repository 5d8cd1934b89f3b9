"""Inserting many rows at once without building a model instance per row, and naming
thousands of rows in a query without preparing each id.

The deadline sweep writes thousands of audit entries, certificates, cases and outbox
messages per second; Django's ``bulk_create`` spends most of that time preparing
values field by field. On PostgreSQL this streams the tuples with COPY (text format);
elsewhere it falls back to ``bulk_create``. Likewise ``__in`` prepares, checks and quotes
every value of its list (several ms for a thousand ids, in three queries of every sweep
batch): ``__any_of`` passes a list of ids as one array on PostgreSQL.

The writes of a request (an upload's file, a new application, a decision's changed columns) go
through ``insert_instance`` and ``update_instance``: the statement Django's save would send, its
text made once per model (and set of columns) and process instead of compiled on every save.
"""

import io
import json
from datetime import date, datetime

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, connections, models, router, transaction
from django.db.models import Lookup, signals

from portal.prepared import prepared_sql


class AnyOf(Lookup):
    """``field__any_of=ids``: the rows whose field (an integer column: an id, a foreign key) is
    one of ``ids``, as ``__in`` would select them. On PostgreSQL the list is one parameter, the
    text of a ``bigint[]`` (psycopg2 adapts a list element by element: 1.4 ms for a thousand
    ids; Django's ``__in`` adds as much again); elsewhere an ``IN`` list."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*lhs_params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, self.rhs)) + "}"]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # ``application_id__any_of``: related fields have lookups of their own


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


_SPECIAL = ("\\", "\t", "\n", "\r")
_NONE = type(None)


def _copy_column(values: tuple) -> list | tuple:
    """One column of a COPY, formatted as ``_copy_value`` would format each value, but a whole
    column at a time: a column of plain integers is ``str`` of each, and a column of text that
    holds no backslash, tab or line break (looked for once in the whole column) goes as it is.
    Per value, the type dispatch and the escaping cost more than the rest of a sweep batch's
    Python work (a batch writes about 20 values per deemed approval)."""
    kinds = set(map(type, values))
    if kinds == {int}:
        return list(map(int.__repr__, values))
    if all(issubclass(kind, str) for kind in kinds):
        joined = "\x00".join(values)  # NUL cannot occur in PostgreSQL text
        if any(special in joined for special in _SPECIAL):
            return list(map(_escape, values))
        return values
    return list(map(_copy_value, values))


def copy_text(rows: list[tuple], constants: tuple = ()) -> str:
    """``rows`` in COPY's text format, each followed by ``constants`` (the same in every row)."""
    tail = "".join("\t" + _copy_value(v) for v in constants) + "\n"
    columns = [_copy_column(column) for column in zip(*rows)]
    return tail.join(map("\t".join, zip(*columns))) + tail


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
    data = copy_text(rows, tuple(constants.values())).encode()
    with connection.cursor() as cursor:
        # Bytes, in pieces of up to 4 MiB: psycopg2 reads the file ``size`` bytes at a time (8 KiB
        # by default, each a read call and a message) and would encode each piece of a text file.
        cursor.cursor.copy_expert(f'COPY "{opts.db_table}" ({columns}) FROM STDIN', io.BytesIO(data),
                                  size=min(max(len(data), 8192), 1 << 22))


_sequences: dict[str, str] = {}


def _sequence(model: type[models.Model]) -> str:
    """The name of the PostgreSQL sequence of ``model``'s primary key."""
    opts = model._meta
    sequence = _sequences.get(opts.db_table)
    if sequence is None:
        # Looked up once: pg_get_serial_sequence per generated row costs a catalogue lookup
        # each (a sweep batch reserves thousands of ids).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [opts.db_table, opts.pk.column])
            sequence = _sequences[opts.db_table] = cursor.fetchone()[0]
    return sequence


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted with explicit ids (so that rows
    referring to them can be built before anything is written). On PostgreSQL they come from
    the table's sequence, safe alongside other writers; elsewhere after the highest id (SQLite
    has a single writer)."""
    if connection.vendor == "postgresql":
        sequence = _sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
    start = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
    return list(range(start, start + count))


def reserve_one_each(*model_classes: type[models.Model]) -> list[int]:
    """One new primary key of each model, as ``reserve_ids`` gives it, all in one statement on
    PostgreSQL (a new application's id and the id of the audit entry that records it)."""
    if connection.vendor != "postgresql":
        return [reserve_ids(model, 1)[0] for model in model_classes]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["nextval(%s::regclass)"] * len(model_classes)),
                       [_sequence(model) for model in model_classes])
        return list(cursor.fetchone())


def insert_instances(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert unsaved instances (primary key set, see ``reserve_ids``) with every concrete
    column, defaults included, in one COPY."""
    fields = model._meta.concrete_fields
    insert_rows(model, [f.name for f in fields], [tuple(getattr(o, f.attname) for f in fields) for o in objects])


# (model, whether the id is given, the model an id is reserved of) → (SQL, fields) of the one-row
# INSERT.
_one_row: dict[tuple[type, bool, type | None], tuple[str, list]] = {}


def insert_instance(obj: models.Model, *, reserve: type[models.Model] | None = None) -> list[int]:
    """``obj.save()`` of a new row, as Django would insert it (every field's ``pre_save`` —
    defaults, ``auto_now``, a file field storing its file — then ``get_db_prep_save``; the id
    given or read back), with the statement's text made once per model and process: Django
    compiles an INSERT anew on every save, which on the load mix cost more CPU than the
    statement itself (an upload's ``MaterialFile``, an application's 60 columns). Falls back to
    ``save(force_insert=True)`` where that would do more than insert: a pre/post-save receiver of
    the model, a value that is an expression, a database other than PostgreSQL.

    With ``reserve`` (a model), also a new id of that model's table (``reserve_ids``), returned in
    a list: on PostgreSQL read back by the same statement (an upload's audit entry), no round trip
    of its own. Without, an empty list."""
    model = type(obj)
    with_id = obj.pk is not None
    if connection.vendor != "postgresql" or _save_signalled(model):
        return _saved(obj, reserve)
    obj._prepare_related_fields_for_save(operation_name="save")
    statement = _one_row.get((model, with_id, reserve))
    if statement is None:
        opts = model._meta
        fields = [f for f in opts.concrete_fields if with_id or f is not opts.pk]
        quote = connection.ops.quote_name
        returning = ([] if with_id else [quote(opts.pk.column)]) + (
            [f"nextval('{_sequence(reserve)}'::regclass)"] if reserve is not None else [])
        sql = (f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})"
               + (f" RETURNING {', '.join(returning)}" if returning else ""))
        statement = _one_row[(model, with_id, reserve)] = (sql, fields)
    sql, fields = statement
    values = [f.pre_save(obj, True) for f in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        return _saved(obj, reserve)
    params = [f.get_db_prep_save(value, connection) for f, value in zip(fields, values)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = list(cursor.fetchone()) if with_id is False or reserve is not None else []
    if not with_id:
        obj.pk = returned.pop(0)
    obj._state.adding, obj._state.db = False, connection.alias
    return returned


def _saved(obj: models.Model, reserve: type[models.Model] | None) -> list[int]:
    obj.save(force_insert=True)
    return reserve_ids(reserve, 1) if reserve is not None else []


def _save_signalled(model: type[models.Model]) -> bool:
    """Whether anything listens to ``model``'s save signals (a plain statement would skip it)."""
    return signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)


# (model, names of the columns written) → the UPDATE's SQL, written once per set (a handful per process).
_updates: dict[tuple[type, tuple[str, ...]], str] = {}


def update_instance(obj: models.Model, names: list[str]) -> None:
    """``obj.save(update_fields=names)`` by an UPDATE written once per model and set of columns and
    prepared by the server (portal.prepared.prepared_sql): compiling it was most of a decision's
    write's CPU. The same statement, values (``get_db_prep_save``) and checks as Django's save of
    those fields; Django's own save when anything listens to the model's save signals or a field
    writes its value otherwise (``pre_save`` of its own, a placeholder)."""
    model = type(obj)
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    if _save_signalled(model) or any(_special(field) for field in fields):
        obj.save(update_fields=names)
        return
    obj._prepare_related_fields_for_save(operation_name="save")
    using = router.db_for_write(model, instance=obj)
    db = connections[using]
    key = (model, tuple(names))
    sql = _updates.get(key)
    if sql is None:
        quote = db.ops.quote_name
        table = quote(opts.db_table)
        sql = _updates.setdefault(key, f"UPDATE {table} SET " + ", ".join(
            f"{quote(field.column)} = %s" for field in fields) + f" WHERE {table}.{quote(opts.pk.column)} = %s")
    params = [field.get_db_prep_save(getattr(obj, field.attname), connection=db) for field in fields]
    params.append(opts.pk.get_db_prep_value(obj.pk, db))
    with transaction.mark_for_rollback_on_error(using), db.cursor() as cursor:
        cursor.execute(*prepared_sql(db, sql, params))
        if cursor.rowcount < 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    obj._state.db, obj._state.adding = using, False


# The pre_save of fields whose value is written as it is (a date's, but for auto_now).
_PLAIN_PRE_SAVE = (models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)


def _special(field) -> bool:
    """A field whose save Django does more for than writing its value (auto_now, a pre_save of
    its own such as a file's, a placeholder other than %s)."""
    return (type(field).pre_save not in _PLAIN_PRE_SAVE or getattr(field, "auto_now", False)
            or hasattr(field, "get_placeholder"))
