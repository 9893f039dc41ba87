"""Stored documents: a validity string instead of one generation (documents may combine
several repositories) and an expiry. Stored documents are a cache: they are dropped here and
rendered again on their next read."""

from django.db import migrations, models


def forget_documents(apps, schema_editor) -> None:
    apps.get_model("repository", "RenderedDocument").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("repository", "0004_repository_name_any_case")]

    operations = [
        migrations.RunPython(forget_documents, migrations.RunPython.noop),
        migrations.RemoveField(model_name="rendereddocument", name="generation"),
        migrations.AddField(
            model_name="rendereddocument",
            name="validity",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="rendereddocument",
            name="expires",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
