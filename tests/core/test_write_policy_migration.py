"""Migration 0005 splits write_policy; every repository keeps allowing what it allowed.

Before: allow-redeploy let deployers overwrite files and `npm unpublish`; immutable refused
both; generic files could be DELETEd by deployers under either policy.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from repository.models import Repository, RepositoryRole, Role
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import make_tarball, publish_body

BEFORE = [("repository", "0007_identity")]
AFTER = [("repository", "0008_retention")]
DEPLOYER = {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}


@pytest.fixture
def migrated(transactional_db):
    """Repositories made before the split (as 0004 stored them), then migrated."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("repository", "Repository")
    for name, fmt, policy in [
        ("npm-mutable", "npm", "allow-redeploy"),
        ("npm-fixed", "npm", "immutable"),
        ("files-mutable", "generic", "allow-redeploy"),
        ("files-fixed", "generic", "immutable"),
        ("py-mutable", "pypi", "allow-redeploy"),
        ("py-fixed", "pypi", "immutable"),
    ]:
        old.objects.create(name=name, format=fmt, write_policy=policy)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    return {repository.name: repository for repository in Repository.objects.all()}


@pytest.fixture
def deployer_everywhere(migrated, deployer):
    for repository in migrated.values():
        RepositoryRole.objects.create(user=deployer, repository=repository, role=Role.DEPLOYER)
    return migrated


def test_it_maps_each_write_policy_to_the_same_rights(migrated):
    policies = {
        name: (repository.redeploy_policy, repository.delete_policy)
        for name, repository in migrated.items()
    }
    assert policies == {
        "npm-mutable": ("allowed", "deployers"),
        "npm-fixed": ("forbidden", "forbidden"),
        "files-mutable": ("allowed", "deployers"),
        "files-fixed": ("forbidden", "deployers"),
        "py-mutable": ("allowed", "deployers"),
        "py-fixed": ("forbidden", "forbidden"),
    }


def _npm_publish(client, repository: str, version: str):
    body = publish_body("demo", version, make_tarball({"name": "demo", "version": version}))
    return client.put(
        f"/repository/{repository}/demo", body, content_type="application/json", **DEPLOYER
    )


def _npm_unpublish(client, repository: str):
    rev = client.get(f"/repository/{repository}/demo?write=true").json()["_rev"]
    return client.delete(f"/repository/{repository}/demo/-rev/{rev}", **DEPLOYER)


def _put(client, repository: str, data: bytes):
    return client.put(
        f"/repository/{repository}/a.bin", data, content_type="application/octet-stream", **DEPLOYER
    )


def test_deployers_keep_exactly_the_rights_they_had(client, deployer_everywhere):
    for repository in ("npm-mutable", "npm-fixed"):
        assert _npm_publish(client, repository, "1.0.0").status_code == 201
    assert _npm_unpublish(client, "npm-mutable").status_code == 200
    refused = _npm_unpublish(client, "npm-fixed")
    assert refused.status_code == 403
    assert "forbids deletions" in refused.json()["error"]

    for repository in ("files-mutable", "files-fixed"):
        _put(client, repository, b"one")
    assert _put(client, "files-mutable", b"two").status_code == 200
    assert _put(client, "files-fixed", b"two").status_code == 409
    for repository in ("files-mutable", "files-fixed"):
        assert client.delete(f"/repository/{repository}/a.bin", **DEPLOYER).status_code == 204
