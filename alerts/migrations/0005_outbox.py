"""The relay's work queue, fed by a trigger on casetracker_event in the event's own transaction.

Events that some consumer has not handled yet (receipts missing) are queued too.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0004_default_rules'),
        ('casetracker', '0003_api_keys_feed_horizon'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboxEntry',
            fields=[
                ('event', models.OneToOneField(help_text='The event waiting to be relayed.', on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='casetracker.event')),
            ],
        ),
        migrations.RunSQL(
            sql="""
            CREATE FUNCTION alerts_outbox_enqueue() RETURNS trigger AS $$
            BEGIN
                INSERT INTO alerts_outboxentry (event_id) VALUES (NEW.seq);
                RETURN NEW;
            END
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER alerts_outbox_enqueue AFTER INSERT ON casetracker_event
                FOR EACH ROW EXECUTE FUNCTION alerts_outbox_enqueue();
            INSERT INTO alerts_outboxentry (event_id)
                SELECT e.seq FROM casetracker_event e
                WHERE (SELECT count(*) FROM alerts_eventreceipt r WHERE r.event_id = e.seq) < 2;
            """,
            reverse_sql="""
            DROP TRIGGER IF EXISTS alerts_outbox_enqueue ON casetracker_event;
            DROP FUNCTION IF EXISTS alerts_outbox_enqueue();
            """,
        ),
    ]
