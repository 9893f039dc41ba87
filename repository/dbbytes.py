"""Reading one large binary column without the text protocol's hex round trip.

Django's psycopg backend asks PostgreSQL for results as text, in which a bytea arrives
hex-encoded: a 2.4 MB packument becomes 4.8 MB for the server to encode and for this
process to decode, 12 ms against 2 ms in binary (measured on the bench's host). Every web
process pays that on its first read of each new version of a large document, and npm pays
it inside every `npm publish` onto a large package. Other databases read through the ORM.
"""

import psycopg
from django.db import connections
from django.db.models import QuerySet


def read_bytes(queryset: QuerySet, field: str) -> bytes | None:
    """`field` of the first row of `queryset`, or None when there is none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        found = queryset.values_list(field, flat=True).first()
        return None if found is None else bytes(found)
    query, params = queryset.values_list(field)[:1].query.sql_with_params()
    connection.ensure_connection()
    # A server-binding cursor of its own on Django's connection (and so inside its
    # transaction): Django's client-binding cursors cannot return binary results.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, params, binary=True)
        row = cursor.fetchone()
    return None if row is None else row[0]
