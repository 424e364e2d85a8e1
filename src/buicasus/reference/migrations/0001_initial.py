"""Countries and NUTS regions move here from the registry app, keeping their tables.

The tables were created by `registry.0001_initial`; this migration only tells Django's state
that they now belong to `reference`, and moves their content types (and so the permissions and
admin log entries attached to them) along.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

MOVED = ("country", "nutsregion")


def _relabel(apps, schema_editor, source: str, target: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    # A partial migrate can create the target's content type before this runs; then the old
    # one is left as it is (`remove_stale_contenttypes` clears it) rather than deleted here.
    taken = set(content_types.filter(app_label=target).values_list("model", flat=True))
    content_types.filter(app_label=source, model__in=set(MOVED) - taken).update(app_label=target)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "registry", "reference")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "reference", "registry")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Country",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=2,
                                unique=True,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Z]{2}$", "Use two capital letters, e.g. LV."
                                    )
                                ],
                                verbose_name="ISO 3166-1 code",
                            ),
                        ),
                        ("names", models.JSONField(default=dict, verbose_name="names")),
                        (
                            "official_languages",
                            models.JSONField(default=list, verbose_name="official languages"),
                        ),
                        (
                            "population",
                            models.PositiveBigIntegerField(
                                blank=True, null=True, verbose_name="population"
                            ),
                        ),
                        (
                            "population_year",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="population year"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "country",
                        "verbose_name_plural": "countries",
                        "db_table": "registry_country",
                        "ordering": ["code"],
                    },
                ),
                migrations.CreateModel(
                    name="NutsRegion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(max_length=5, unique=True, verbose_name="NUTS code"),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("level", models.PositiveSmallIntegerField(verbose_name="level")),
                        (
                            "country",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="regions",
                                to="reference.country",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="children",
                                to="reference.nutsregion",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "NUTS region",
                        "verbose_name_plural": "NUTS regions",
                        "db_table": "registry_nutsregion",
                        "ordering": ["code"],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
