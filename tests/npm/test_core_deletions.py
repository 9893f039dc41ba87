"""Deletions the core makes (the Django admin, the API, retention) keep npm's documents right.

npm derives `latest` from the versions; when a version goes by another way than `npm
unpublish`, the next packument must still carry a `latest`, moved to the highest remaining
release by semver.
"""

import pytest

from repository.models import Version
from tests.npm.conftest import REPO


@pytest.fixture
def released(publish):
    for version in ("1.9.0", "1.10.0", "2.0.0-beta.1"):
        tags = {"beta": version} if "beta" in version else None
        assert publish("demo", version, tags=tags).status_code == 201


def latest(client) -> str:
    return client.get(f"{REPO}/demo").json()["dist-tags"].get("latest")


def test_deleting_the_latest_version_in_the_admin_moves_latest_to_the_next_release(
    released, client, admin
):
    assert latest(client) == "1.10.0"
    staff = client.__class__()
    staff.force_login(admin)
    version = Version.objects.get(version="1.10.0")
    response = staff.post(f"/admin/repository/version/{version.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert latest(client) == "1.9.0"  # the highest release left, never the beta


def test_deleting_the_latest_version_through_the_core_moves_latest_in_the_abbreviated_document(
    released, client
):
    from repository.services.packages import delete_version

    delete_version(Version.objects.get(version="1.10.0"))
    abbreviated = client.get(f"{REPO}/demo", HTTP_ACCEPT="application/vnd.npm.install-v1+json")
    assert abbreviated.json()["dist-tags"] == {"latest": "1.9.0", "beta": "2.0.0-beta.1"}
