"""On PostgreSQL, the freeze's gaps closed (meetings/rules/frozen.py): an approval is added
only while it is awaited, by an approver; a published protocol's publication stands;
a person named in a justerat protocol keeps that name; an approved rättelse never
changes; audit events are never changed and go only with their meeting; and the
maintenance switch empties the archive's tables only for their owner."""

from django.db import migrations


def install(apps, schema_editor):
    from meetings.rules import frozen

    frozen.install(schema_editor)


def uninstall(apps, schema_editor):
    """Drop the triggers this migration added; the functions 0020 installed stay in
    their stricter form (they are replaced again by a migration that installs)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS meetings_approval_forged ON meetings_approval")
        cursor.execute("DROP TRIGGER IF EXISTS members_person_renamed ON members_person")
        for trigger in ("append_only", "no_truncate"):
            cursor.execute(f"DROP TRIGGER IF EXISTS meetings_rattelse_{trigger} ON meetings_rattelse")
        cursor.execute(
            "DROP TRIGGER IF EXISTS meetings_auditevent_with_meeting ON meetings_auditevent"
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0024_public_version_link_key")]

    operations = [migrations.RunPython(install, uninstall)]
