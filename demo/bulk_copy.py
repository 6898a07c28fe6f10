"""PostgreSQL COPY for bulk loads of model rows, with Django's field defaults filled in."""

from django.db import connection


def next_ids(model, count: int) -> range:
    """Reserve `count` primary keys from the model's sequence."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids


def copy_rows(model, rows: list[dict], *, table: str | None = None) -> None:
    """Insert `rows` (field name → value) with COPY; fields left out get their defaults.

    Every concrete field is written, so a field added to the model later is covered by
    its default instead of breaking the load. `table` loads a staging table shaped like
    the model's instead.
    """
    fields = [f for f in model._meta.concrete_fields]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(table or model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper, same transaction
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
                )
