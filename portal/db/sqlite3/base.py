"""Django's SQLite backend (the embedded default of ``make run``), with a number too large for
SQLite's 64-bit integers refused as PostgreSQL refuses it.

An id in an address is any run of digits (``<int:pk>``): ``/api/applications/100000000000000000000/``
reaches the database as a lookup of that number. PostgreSQL answers "out of range" (Django's
``DataError``, which portal.web.middleware and portal.api.errors turn into the answer for an
address that names nothing); SQLite's driver raises a bare ``OverflowError`` before the statement
is sent, which Django passes on as it is: a server error (500) on hostile input in the embedded
default. Here it is the same ``DataError``.
"""

from django.db import DataError
from django.db.backends.sqlite3 import base


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        try:
            return super().execute(query, params)
        except OverflowError as error:
            raise DataError(str(error)) from error

    def executemany(self, query, param_list):
        try:
            return super().executemany(query, param_list)
        except OverflowError as error:
            raise DataError(str(error)) from error


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
