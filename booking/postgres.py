"""The database half of "never a double booking", and how it coexists with SQLite.

The embedded default runs on SQLite, which has neither exclusion constraints nor btree_gist.
Rather than keep two migration histories, both pieces are declared once and do nothing off
PostgreSQL:
- the constraint is declared on the model with a subclass whose `constraint_sql`,
  `create_sql` and `remove_sql` return None on other vendors, which Django's schema editors
  skip (CREATE TABLE leaves out falsy constraint clauses; add/remove_constraint run only
  non-empty SQL);
- the migration installs btree_gist with an operation that checks the vendor both ways
  (Django's own BtreeGistExtension checks it only going forwards).
Only PostgreSQL, the production database the suite runs on, has the guarantee; on SQLite
the service layer's re-check under the (there no-op) lock is all there is, which is fine for
one developer's embedded site.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class TsTzRange(Func):
    """PostgreSQL's tstzrange(lower, upper, bounds) built from two datetime columns."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that exists on PostgreSQL and is silently absent elsewhere."""

    @staticmethod
    def _on_postgres(connection):
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if self._on_postgres(schema_editor.connection):
            return super().constraint_sql(model, schema_editor)
        return None

    def create_sql(self, model, schema_editor):
        if self._on_postgres(schema_editor.connection):
            return super().create_sql(model, schema_editor)
        return None

    def remove_sql(self, model, schema_editor):
        if self._on_postgres(schema_editor.connection):
            return super().remove_sql(model, schema_editor)
        return None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # Model validation builds a range-overlap query only PostgreSQL understands.
        if self._on_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


class BtreeGistOnPostgres(BtreeGistExtension):
    """Install btree_gist on PostgreSQL (it lets a GiST index compare ids with `=`); nothing
    on other vendors. Unapplying keeps the extension: something else may use it, and
    dropping it needs more privileges than creating a trusted extension does."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Creates extension btree_gist on PostgreSQL"
