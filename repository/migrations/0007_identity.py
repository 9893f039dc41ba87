"""Identity: the maintainer role, where a token was last used from, and audit events that
keep their actor's name and outcome.

The maintainer role sits between deployer and admin.
Deployers could delete, unpublish and deprecate before this role existed; those rights are
the maintainer's now, so every deployer grant becomes a maintainer grant and nobody loses a
right on upgrade. Grants made afterwards choose between the two.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def deployers_become_maintainers(apps, schema_editor):
    RepositoryRole = apps.get_model("repository", "RepositoryRole")
    RepositoryRole.objects.filter(role="deployer").update(role="maintainer")


def name_the_actors(apps, schema_editor):
    AuditEvent = apps.get_model("repository", "AuditEvent")
    for event in AuditEvent.objects.filter(actor__isnull=False).select_related("actor"):
        AuditEvent.objects.filter(pk=event.pk).update(actor_name=event.actor.username)


def maintainers_become_deployers(apps, schema_editor):
    RepositoryRole = apps.get_model("repository", "RepositoryRole")
    RepositoryRole.objects.filter(role="maintainer").update(role="deployer")


class Migration(migrations.Migration):
    dependencies = [
        ("repository", "0006_asset_blob_until_fetched"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="repositoryrole",
            name="role",
            field=models.CharField(
                choices=[
                    ("reader", "Reader"),
                    ("deployer", "Deployer"),
                    ("maintainer", "Maintainer"),
                    ("admin", "Admin"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(deployers_become_maintainers, maintainers_become_deployers),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-created", "-pk"]},
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_addr",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("success", "Success"), ("failure", "Failure")],
                default="success",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="repository_name",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(name_the_actors, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ExternalIdentity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(choices=[("ldap", "Ldap"), ("oidc", "Oidc")], max_length=8),
                ),
                ("subject", models.CharField(blank=True, max_length=255)),
                ("created", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="external_identity",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("subject", ""), _negated=True),
                        fields=("source", "subject"),
                        name="external_identity_unique_subject",
                    )
                ],
            },
        ),
    ]
