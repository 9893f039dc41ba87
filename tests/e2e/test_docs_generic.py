"""Every example of docs/clients/generic.md, run with curl, wget and jq against a live Larder."""

import json

import pytest
import yaml
from django.test import Client

from repository.models import Asset, Package, Repository, RepositoryRole, Role
from tests.e2e.docs_examples import (
    Example,
    Sandbox,
    block_named,
    claimed_blocks,
    output_pattern,
    runnable,
)
from tests.generic.fixtures import fast_password_hashing  # noqa: F401 - tokens only

pytestmark = pytest.mark.e2e

DOCUMENT = "generic.md"


@pytest.fixture
def docs(live, make_repository, deployer, make_token, tmp_path, request) -> Sandbox:
    """A private generic repository `docs` and a deployer's token in $LARDER_TOKEN."""
    make_repository("docs", "generic", private=True)
    sandbox = Sandbox(live, tmp_path, request.getfixturevalue, values={"NAME": "docs"})
    sandbox.env["LARDER_TOKEN"] = make_token(deployer)
    return sandbox


def store(sandbox: Sandbox, path: str, data: bytes, repository: str = "docs") -> None:
    response = Client().put(
        f"/repository/{repository}/{path}",
        data,
        content_type="application/octet-stream",
        HTTP_AUTHORIZATION=f"Bearer {sandbox.env['LARDER_TOKEN']}",
    )
    assert response.status_code == 201, response.content


def stored(path: str, repository: str = "docs") -> Asset | None:
    return Asset.objects.filter(repository__name=repository, path=path).first()


def check_credentials(sandbox, block):
    store(sandbox, "notes.txt", b"notes")
    listings = sandbox.sh(block.text).stdout
    assert listings.count("notes.txt") >= 3  # curl twice, wget once


def check_upload(sandbox, block):
    (sandbox.cwd / "app-1.4.2.tar.gz").write_bytes(b"\0" * 16070)
    printed = sandbox.sh(block.text).stdout
    assert output_pattern(sandbox.fill(block.output.text)).fullmatch(printed.strip()), printed
    assert stored("releases/app-1.4.2.tar.gz").blob.size == 16070


def check_checksum_upload(sandbox, block):
    (sandbox.cwd / "app.tar.gz").write_bytes(b"release")
    sandbox.sh(block.text)
    assert stored("releases/app.tar.gz") is not None


def check_form_upload(sandbox, block):
    (sandbox.cwd / "report.pdf").write_bytes(b"%PDF-1.4 report")
    sandbox.sh(block.text)
    assert stored("reports/2024/q1/report.pdf") is not None


def check_download(sandbox, block):
    store(sandbox, "releases/app-1.4.2.tar.gz", b"release 1.4.2")
    sandbox.env["LARDER_TOKEN"] = ""
    Repository.objects.filter(name="docs").update(anonymous_read=True)
    sandbox.sh(block.text)
    assert (sandbox.cwd / "app-1.4.2.tar.gz").read_bytes() == b"release 1.4.2"  # curl
    assert (sandbox.cwd / "app-1.4.2.tar.gz.1").read_bytes() == b"release 1.4.2"  # wget


def same_shape(documented, served, where="") -> None:
    """The served JSON has the documented keys, in every object and first list item."""
    if isinstance(documented, dict):
        assert isinstance(served, dict) and set(served) == set(documented), where
        for key, value in documented.items():
            same_shape(value, served[key], f"{where}.{key}")
    elif isinstance(documented, list) and documented:
        assert isinstance(served, list) and served, where
        same_shape(documented[0], served[0], f"{where}[0]")


def check_listing(sandbox, block):
    Repository.objects.filter(name="docs").update(anonymous_read=True)
    store(sandbox, "releases/1.4.2/app.tar.gz", b"1.4.2")
    store(sandbox, "releases/app.tar.gz", b"latest")
    served = json.loads(sandbox.sh(block.text).stdout)
    documented = json.loads(sandbox.fill(block.output.text))
    same_shape(documented, served)
    assert (served["repository"], served["path"]) == ("docs", "releases/")
    assert served["url"] == documented["url"]


def check_newest_release(sandbox, block):
    Repository.objects.filter(name="docs").update(anonymous_read=True)
    store(sandbox, "releases/1.4.1/old.txt", b"old")
    store(sandbox, "releases/1.4.2/app.tar.gz", b"app")
    store(sandbox, "releases/1.4.2/app.sha256", b"sum")
    sandbox.sh(block.text)
    assert sorted(p.name for p in sandbox.cwd.iterdir()) == ["app.sha256", "app.tar.gz"]


def check_delete(sandbox, block):
    store(sandbox, "releases/app-1.4.2.tar.gz", b"release")
    maintainer = sandbox.fixture("maintainer")
    RepositoryRole.objects.create(
        user=maintainer, repository=Repository.objects.get(name="docs"), role=Role.MAINTAINER
    )
    sandbox.env["LARDER_TOKEN"] = sandbox.fixture("make_token")(maintainer)
    sandbox.sh(block.text)
    assert stored("releases/app-1.4.2.tar.gz") is None


def check_layout_setting(sandbox, block):
    make_token = sandbox.fixture("make_token")
    sandbox.env["LARDER_TOKEN"] = make_token(sandbox.fixture("admin"))
    sandbox.sh(block.text)
    assert Repository.objects.get(name="docs").settings == {"layout": "name/version/file"}


def check_layout_upload(sandbox, block):
    sandbox.fixture("make_repository")(
        "builds", "generic", settings={"layout": "name/version/file"}
    )
    sandbox.values["NAME"] = "builds"
    (sandbox.cwd / "tool-linux.tgz").write_bytes(b"tool")
    sandbox.sh(block.text)
    package = Package.objects.get(repository__name="builds", name="tool")
    assert list(package.versions.values_list("version", flat=True)) == ["1.4.2"]


def check_github_actions(sandbox, block):
    [step] = yaml.safe_load(block.text)
    assert step["env"] == {"LARDER_TOKEN": "${{ secrets.LARDER_TOKEN }}"}
    commit = "0123456789abcdef0123456789abcdef01234567"
    (sandbox.cwd / "dist").mkdir()
    (sandbox.cwd / "dist" / "app-01234567.tar.gz").write_bytes(b"build")
    sandbox.sh(step["run"], GITHUB_SHA=commit)
    assert stored("app/01234567/app-01234567.tar.gz") is not None


def check_gitlab_ci(sandbox, block):
    script = yaml.safe_load(block.text)["publish"]["script"]
    (sandbox.cwd / "app.tar.gz").write_bytes(b"build")
    sandbox.sh("\n".join(script), CI_COMMIT_TAG="v1.4.2")
    assert stored("app/v1.4.2/app.tar.gz") is not None


EXAMPLES = [
    Example('curl -fsS -u "__token__:$LARDER_TOKEN" https://', check_credentials),
    Example("--upload-file app-1.4.2.tar.gz", check_upload),
    Example(
        "app.tar.gz https://larder.example/repository/NAME/releases/app.tar.gz",
        check_checksum_upload,
    ),
    Example('-F "path=2024/q1/"', check_form_upload),
    Example("curl -fLO https://", check_download),
    Example('curl -fsS -H "Accept: application/json" https://', check_listing),
    Example("sort_by(.modified)", check_newest_release),
    Example("-X DELETE", check_delete),
    Example("-X PATCH", check_layout_setting),
    Example("tool/1.4.2/tool-linux.tgz", check_layout_upload),
    Example("- name: Publish the build", check_github_actions),
    Example("publish:\n  script:", check_gitlab_ci),
]


def test_every_example_has_a_check():
    claimed_blocks(DOCUMENT, EXAMPLES)


@pytest.mark.parametrize("example", runnable(EXAMPLES), ids=lambda example: example.check.__name__)
def test_the_example_works(example, docs):
    example.check(docs, block_named(DOCUMENT, EXAMPLES, example.fragment))
