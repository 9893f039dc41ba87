"""curl -X DELETE: 204, then gone; 404 when absent; for deployers where the delete policy is
`deployers` (the default lets only the repository's admins delete)."""

import pytest

from repository.models import Asset, AuditEvent
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
    reader_auth_fixture,
)

pytestmark = pytest.mark.e2e


def test_it_deletes_a_file(live, make_repository, deployer_auth, reader_auth, curl, tmp_path):
    make_repository("files", "generic", delete_policy="deployers")
    source = tmp_path / "old.tgz"
    source.write_bytes(b"old")
    url = live.repo_url("files") + "old.tgz"
    assert curl("-u", deployer_auth, "-T", str(source), url).status == 201

    assert curl("-X", "DELETE", url).status == 401
    assert curl("-u", reader_auth, "-X", "DELETE", url).status == 403
    assert curl("-u", deployer_auth, "-X", "DELETE", url).status == 204
    assert curl(url).status == 404
    assert curl("-u", deployer_auth, "-X", "DELETE", url).status == 404
    assert not Asset.objects.exists()
    assert AuditEvent.objects.filter(action="asset.delete", target="old.tgz").count() == 1
