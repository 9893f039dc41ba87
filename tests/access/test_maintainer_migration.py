"""Upgrading: deployers could delete before the maintainer role existed, so the migration
turns every deployer grant into a maintainer grant (nobody loses a right)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("repository", "0006_asset_blob_until_fetched")]
AFTER = [("repository", "0007_identity")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_deployer_grants_become_maintainer_grants(transactional_db):
    apps = _migrate(BEFORE)
    User = apps.get_model("auth", "User")
    Repository = apps.get_model("repository", "Repository")
    RepositoryRole = apps.get_model("repository", "RepositoryRole")
    user = User.objects.create(username="ci")
    repository = Repository.objects.create(name="old", format="generic")
    RepositoryRole.objects.create(user=user, repository=repository, role="deployer")
    RepositoryRole.objects.create(user=user, repository=None, role="reader")
    try:
        apps = _migrate(AFTER)
        roles = apps.get_model("repository", "RepositoryRole").objects
        assert sorted(roles.values_list("role", flat=True)) == ["maintainer", "reader"]
    finally:
        _migrate(executor_leaf())


def executor_leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
