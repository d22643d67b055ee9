# The kinds of alerts are read from the desk.alert_kinds extension point (the desk's
# own and those later apps add): the migration records the callable, not the list,
# so a kind added by another app never needs a desk migration.

import desk.models.alerts
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0013_calendar_years'),
    ]

    operations = [
        migrations.AlterField(
            model_name='alert',
            name='kind',
            field=models.CharField(choices=desk.models.alerts.alert_kind_choices, max_length=20, verbose_name='loại'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=desk.models.alerts.alert_kind_choices, max_length=20, verbose_name='loại'),
        ),
    ]
