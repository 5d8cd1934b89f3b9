"""Input limits of the API, taken from the columns that will hold the value (text itself is
checked by ``portal.validation.Text``), so that a value passing the serializer always fits (a 501-character reason for a 500-character
column, or 32768 working days for a smallint, is a field error, not a database error)."""

from django.db.backends.base.operations import BaseDatabaseOperations


def column_limits(model, field_name: str) -> dict:
    """Serializer keyword arguments bounding a value for ``model.field_name``: ``max_length``
    of a character column, ``min_value``/``max_value`` of an integer one. The integer ranges are
    those of the field's type as Django declares them for every database (a smallint's 0-32767),
    not the running database's: SQLite (the embedded default) stores any 64-bit number in any
    integer column and would take what PostgreSQL refuses, so that the same request answered
    200 on one and 400 on the other."""
    field = model._meta.get_field(field_name)
    if getattr(field, "max_length", None):
        return {"max_length": field.max_length}
    low, high = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))
    limits = {}
    if low is not None:
        limits["min_value"] = low
    if high is not None:
        limits["max_value"] = high
    return limits

