"""The audit log becomes tamper-evident (docs/audit.md): every event gets its place in a hash chain.

The new columns are nullable so that SQLite adds them with ALTER TABLE instead of rebuilding the table (a rebuild
would drop the append-only triggers of 0002 and 0003). Events already stored are chained here, oldest first; to write
those three columns the append-only trigger is lifted for the length of this migration only, and restored exactly as
0002 made it. Then the chain head records the last event.
"""

from django.conf import settings
from django.db import migrations, models

from apps.audit import chain

SQLITE_TRIGGERS = {
    "audit_auditevent_no_update": "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
}


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    vendor = schema_editor.connection.vendor
    key = settings.AUDIT_CHAIN_KEY.encode("utf-8")
    events = list(AuditEvent.objects.order_by("created_at", "id"))
    if events:
        if vendor == "postgresql":
            schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        else:
            schema_editor.execute("DROP TRIGGER audit_auditevent_no_update")
    seq, prev = 0, chain.GENESIS
    for event in events:
        seq += 1
        content = {name: getattr(event, name) for name in chain.CONTENT_FIELDS}
        digest = chain.digest(seq=seq, created_at=event.created_at, prev_hash=prev, content=content, key=key)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [seq, prev, digest, event.id],
            )
        prev = digest
    if events:
        if vendor == "postgresql":
            schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
        else:
            schema_editor.execute(SQLITE_TRIGGERS["audit_auditevent_no_update"])
    AuditChainHead.objects.update_or_create(
        pk=1, defaults={"seq": seq, "hash": prev, "updated_at": events[-1].created_at if events else None}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_login_attempt'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(default=0)),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                ('updated_at', models.DateTimeField(null=True)),
            ],
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(db_index=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='event',
            field=models.CharField(choices=[('login', 'Logged in'), ('login_failed', 'Login failed'), ('logout', 'Logged out'), ('evaluation', 'Evaluation'), ('view', 'Viewed'), ('decision', 'Decision'), ('api_evaluation', 'API evaluation'), ('api_token_revoked', 'API token revoked'), ('refused', 'Call refused')], max_length=32),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
