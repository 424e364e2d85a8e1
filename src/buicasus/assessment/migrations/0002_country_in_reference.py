"""Assessment's foreign keys to countries and regions now name the reference app.

State only: the referenced tables kept their names, so the database needs no change.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="campaign",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="campaigns",
                        to="reference.country",
                        verbose_name="country",
                    ),
                ),
            ],
        ),
    ]
