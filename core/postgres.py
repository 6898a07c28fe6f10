"""PostgreSQL-only database features, declared once so the embedded SQLite default keeps
one migration history.

The embedded default runs on SQLite, production and the test suite on PostgreSQL.
- `PostgresOnly` wraps a migration operation: the migration state is identical on both
  (so makemigrations stays quiet) while only PostgreSQL gets the extension, index or
  constraint. Code that relies on these features checks `settings.IS_POSTGRES`.
- `PostgresExclusionConstraint` is declared on a model and exists only on PostgreSQL: its
  `constraint_sql`, `create_sql` and `remove_sql` return None on other vendors, which
  Django's schema editors skip (CREATE TABLE leaves out falsy constraint clauses;
  add/remove_constraint run only non-empty SQL). Booking's "never a double booking" is one:
  on SQLite the service layer's re-check under the (there no-op) lock is all there is,
  which is fine for one developer's embedded site.
- `BtreeGistOnPostgres` installs btree_gist checking the vendor both ways (Django's own
  BtreeGistExtension checks it only going forwards).
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import DEFAULT_DB_ALIAS, connections, migrations
from django.db.models import Func


class PostgresOnly(migrations.operations.base.Operation):
    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"


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


def _change_index(operation, schema_editor, model, index, method, *, postgres_only=False):
    """`schema_editor.<method>(model, index)`: CONCURRENTLY on PostgreSQL, plainly elsewhere
    (or not at all when `postgres_only`)."""
    if not operation.allow_migrate_model(schema_editor.connection.alias, model):
        return
    if schema_editor.connection.vendor == "postgresql":
        getattr(schema_editor, method)(model, index, concurrently=True)
    elif not postgres_only:
        getattr(schema_editor, method)(model, index)


class AddIndexConcurrently(migrations.AddIndex):
    """AddIndex that on PostgreSQL builds the index without blocking the table's writes
    (CREATE INDEX CONCURRENTLY; the migration must say `atomic = False`), and elsewhere
    creates it plainly, or not at all when `postgres_only` (a GIN index).

    Django's own AddIndexConcurrently is PostgreSQL-only, and the embedded SQLite default
    runs the same migrations."""

    def __init__(self, model_name, index, *, postgres_only=False):
        super().__init__(model_name, index)
        self.postgres_only = postgres_only

    def deconstruct(self):
        _name, args, kwargs = super().deconstruct()
        if self.postgres_only:
            kwargs["postgres_only"] = True
        return self.__class__.__qualname__, args, kwargs

    def _run(self, schema_editor, model, method):
        _change_index(
            self, schema_editor, model, self.index, method, postgres_only=self.postgres_only
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, to_state.apps.get_model(app_label, self.model_name), "add_index")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        self._run(schema_editor, model, "remove_index")


class RemoveIndexConcurrently(migrations.RemoveIndex):
    """RemoveIndex that on PostgreSQL drops without blocking reads (DROP INDEX CONCURRENTLY;
    `atomic = False`), and elsewhere plainly."""

    def _run(self, schema_editor, state, app_label, method):
        model = state.apps.get_model(app_label, self.model_name)
        index = state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
        _change_index(self, schema_editor, model, index, method)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, from_state, app_label, "remove_index")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, to_state, app_label, "add_index")
