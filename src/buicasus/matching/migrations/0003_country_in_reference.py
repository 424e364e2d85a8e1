"""Matching's foreign keys to countries and regions now name the reference app.

State only: the referenced tables kept their names, so the database needs no change.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_sharing_and_searches"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="need",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="needs",
                        to="reference.country",
                        verbose_name="country",
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="needs",
                        to="reference.nutsregion",
                        verbose_name="region",
                    ),
                ),
                migrations.AlterField(
                    model_name="needshare",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shared_needs",
                        to="reference.country",
                        verbose_name="country",
                    ),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reference.country",
                        verbose_name="from country",
                    ),
                ),
                migrations.AlterField(
                    model_name="savedsearch",
                    name="country",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reference.country",
                        verbose_name="target country",
                    ),
                ),
            ],
        ),
    ]
