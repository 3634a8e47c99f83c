"""The permission `casetracker.require_two_factor`, on a proxy of the user model (core.accounts).

Its holders (a role's group, or one user) must sign in with a second factor. No table:
the permission row is created after migrating, as for every model.
"""

import django.contrib.auth.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('casetracker', '0006_feed_position'),
    ]

    operations = [
        migrations.CreateModel(
            name='Account',
            fields=[],
            options={
                'verbose_name': 'account',
                'permissions': [('require_two_factor', 'Must sign in with two-factor authentication')],
                'proxy': True,
                'default_permissions': (),
                'indexes': [],
                'constraints': [],
            },
            bases=('auth.user',),
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
    ]
