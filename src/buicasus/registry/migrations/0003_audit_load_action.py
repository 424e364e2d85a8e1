from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_audit_links"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Updated"),
                    ("delete", "Deleted"),
                    ("load", "Loaded"),
                ],
                max_length=8,
                verbose_name="action",
            ),
        ),
    ]
