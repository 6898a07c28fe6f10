"""Migration operations for PostgreSQL-only database features.

The embedded default runs on SQLite, production and the test suite on PostgreSQL.
Wrapping an operation in PostgresOnly keeps the migration state identical on both
(so makemigrations stays quiet) while only PostgreSQL gets the extension, index or
constraint. Code that relies on these features checks `settings.IS_POSTGRES`.
"""

from django.db import migrations


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
