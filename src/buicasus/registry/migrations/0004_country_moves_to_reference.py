"""Countries and NUTS regions now live in the reference app; their tables stay where they are.

State only: the registry's foreign keys name `reference.Country`/`reference.NutsRegion`, then
the registry forgets its own copies. It runs after every other app's foreign keys moved, so no
state ever points at a model that is gone.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_audit_load_action"),
        ("reference", "0001_initial"),
        ("accounts", "0002_country_in_reference"),
        ("analysis", "0002_country_in_reference"),
        ("assessment", "0002_country_in_reference"),
        ("matching", "0003_country_in_reference"),
        ("pilots", "0002_country_in_reference"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="organisation",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organisations",
                        to="reference.country",
                        verbose_name="country",
                    ),
                ),
                migrations.AlterField(
                    model_name="organisation",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="organisations",
                        to="reference.nutsregion",
                        verbose_name="region",
                    ),
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="country",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="initiatives",
                        to="reference.country",
                        verbose_name="country",
                    ),
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="regions",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="initiatives",
                        to="reference.nutsregion",
                        verbose_name="regions",
                    ),
                ),
                migrations.DeleteModel(name="NutsRegion"),
                migrations.DeleteModel(name="Country"),
            ],
        ),
    ]
