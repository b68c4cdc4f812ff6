"""On PostgreSQL, the search entries already written get the words without å/ä/ö
too (meetings.public.search.VECTOR), so that a query typed without them finds the
protocols published before this change as it finds the new ones."""

from django.db import migrations


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from meetings.public.search import VECTOR

    apps.get_model("meetings", "SearchEntry").objects.update(vector=VECTOR)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0028_rattelse_objection")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
