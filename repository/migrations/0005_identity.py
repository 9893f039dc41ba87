"""The maintainer role, between deployer and admin.

Deployers could delete, unpublish and deprecate before this role existed; those rights are
the maintainer's now, so every deployer grant becomes a maintainer grant and nobody loses a
right on upgrade. Grants made afterwards choose between the two.
"""

from django.db import migrations, models


def deployers_become_maintainers(apps, schema_editor):
    RepositoryRole = apps.get_model("repository", "RepositoryRole")
    RepositoryRole.objects.filter(role="deployer").update(role="maintainer")


def maintainers_become_deployers(apps, schema_editor):
    RepositoryRole = apps.get_model("repository", "RepositoryRole")
    RepositoryRole.objects.filter(role="maintainer").update(role="deployer")


class Migration(migrations.Migration):
    dependencies = [("repository", "0004_repository_name_any_case")]

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
    ]
