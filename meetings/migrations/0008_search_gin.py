"""The GIN index behind full-text search, on PostgreSQL only (SQLite searches with
LIKE and has no tsvector)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX searchentry_vector_gin ON meetings_searchentry USING gin (vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS searchentry_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_search")]

    operations = [migrations.RunPython(create, drop)]
