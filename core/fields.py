"""Model fields that behave the same on PostgreSQL and on the embedded SQLite default."""

import json

from django.db import models
from django.db.models import Lookup
from psycopg.types.numeric import Int4


class IntegerSetField(models.Field):
    """A small set of integers (ids) kept on the row itself, as a sorted list.

    On PostgreSQL it is an `integer[]`: a GIN index answers "holds this id" and the planner
    keeps per-element statistics for it. On SQLite, which has no arrays, it is JSON text
    searched with `json_each`; the embedded default is small, so no index is needed there.
    """

    description = "A set of integers"

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_prep_value(self, value):
        if value is None:
            return None
        return sorted({int(item) for item in value})

    def get_db_prep_value(self, value, connection, prepared=False):
        value = value if prepared else self.get_prep_value(value)
        if value is None:
            return None
        if connection.vendor == "postgresql":
            # Typed as integer[]: psycopg would send small numbers as smallint[], which
            # PostgreSQL will not compare with the column.
            return [Int4(item) for item in value]
        return json.dumps(value)

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            return json.loads(value)
        return value if value is None else list(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value if value is None else sorted({int(item) for item in value})


@IntegerSetField.register_lookup
class Holds(Lookup):
    """`field__holds=5`: the set contains 5."""

    lookup_name = "holds"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [int(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @> ARRAY[{rhs}]::integer[]", [*lhs_params, *rhs_params]
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = {rhs})"
        return sql, [*lhs_params, *rhs_params]
