"""The name/version/file layout over curl: builds become packages and versions."""

import pytest

from repository.models import Package, Version
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
    maintainer_auth_fixture,
)

pytestmark = pytest.mark.e2e


def test_it_records_uploads_as_packages_and_refuses_other_paths(
    live, make_repository, deployer_auth, maintainer_auth, curl, tmp_path
):
    make_repository(
        "builds", "generic", delete_policy="deployers", settings={"layout": "name/version/file"}
    )
    base = live.repo_url("builds")
    source = tmp_path / "tool.tgz"
    source.write_bytes(b"tool")

    for path in ["tool/1.9.0/tool.tgz", "tool/1.10.0/tool.tgz", "tool/1.10.0/linux/tool.tgz"]:
        assert curl("-u", deployer_auth, "-T", str(source), base + path).status == 201

    package = Package.objects.get(repository__name="builds")
    assert package.name == "tool"
    assert sorted(Version.objects.values_list("version", flat=True)) == ["1.10.0", "1.9.0"]
    assert Version.objects.get(version="1.10.0").assets.count() == 2

    refused = curl("-u", deployer_auth, "-T", str(source), base + "loose/tool.tgz")
    assert refused.status == 400
    assert "<name>/<version>/<file>" in refused.text

    assert curl("-u", maintainer_auth, "-X", "DELETE", base + "tool/1.9.0/tool.tgz").status == 204
    assert list(Version.objects.values_list("version", flat=True)) == ["1.10.0"]
