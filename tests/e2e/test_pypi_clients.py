"""twine, pip and uv against a live Larder: publish, install, re-upload, PEP 658, yank."""

import pytest

from repository.models import Version
from repository.services.packages import set_yanked
from tests.pypi.builders import make_sdist, make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


@pytest.fixture
def clients(tmp_path) -> Clients:
    return Clients(tmp_path)


@pytest.fixture
def published(live, make_repository, deployer, make_token, clients):
    """A public repository holding tiny-pkg 1.0 (wheel and sdist), uploaded by twine."""
    make_repository("py-e2e", "pypi")
    token = make_token(deployer)
    files = [
        clients.write(make_wheel("Tiny-Pkg", "1.0")),
        clients.write(make_sdist("Tiny-Pkg", "1.0")),
    ]
    legacy = live.repo_url("py-e2e") + "legacy/"
    clients.twine_upload(legacy, "__token__", token, *files)
    return {
        "index": live.repo_url("py-e2e") + "simple/",
        "legacy": legacy,
        "token": token,
        "files": files,
    }


def test_it_publishes_with_twine_and_installs_with_pip_and_uv(published, clients):
    target = clients.home / "pip-target"
    clients.pip_install(published["index"], "tiny-pkg", target)
    assert (target / "tiny_pkg" / "__init__.py").read_text() == 'VERSION = "1.0"\n'

    site_packages = clients.uv_install(published["index"], "tiny-pkg")
    assert (site_packages / "tiny_pkg" / "__init__.py").is_file()


def test_it_answers_twine_re_uploads_idempotently_or_with_file_already_exists(published, clients):
    again = clients.twine_upload(
        published["legacy"], "__token__", published["token"], *published["files"]
    )
    assert again.returncode == 0

    other = clients.write(make_wheel("Tiny-Pkg", "1.0", summary="other bytes"), "other")
    conflict = clients.twine_upload(
        published["legacy"], "__token__", published["token"], other, check=False
    )
    assert conflict.returncode != 0
    assert "File already exists" in conflict.stdout + conflict.stderr


def test_it_serves_pep_658_metadata_that_pip_download_uses(published, clients, live):
    log = live.data_dir / "server.log"
    metadata = "/repository/py-e2e/files/tiny-pkg/1.0/tiny_pkg-1.0-py3-none-any.whl.metadata HTTP"
    before = log.read_text(errors="replace").count(metadata)
    clients.pip(
        "download",
        "--no-deps",
        "-d",
        str(clients.home / "dl"),
        "--index-url",
        published["index"],
        "tiny-pkg",
    )
    assert (clients.home / "dl" / "tiny_pkg-1.0-py3-none-any.whl").is_file()
    assert log.read_text(errors="replace").count(metadata) > before


def test_it_skips_a_yanked_version_unless_pinned(published, clients):
    newer = clients.write(make_wheel("Tiny-Pkg", "2.0"), "newer")
    clients.twine_upload(published["legacy"], "__token__", published["token"], newer)
    set_yanked(Version.objects.get(version="2.0"), True, "broken")

    unpinned = clients.home / "unpinned"
    clients.pip_install(published["index"], "tiny-pkg", unpinned)
    assert 'VERSION = "1.0"' in (unpinned / "tiny_pkg" / "__init__.py").read_text()

    pinned = clients.home / "pinned"
    clients.pip_install(published["index"], "tiny-pkg==2.0", pinned)
    assert 'VERSION = "2.0"' in (pinned / "tiny_pkg" / "__init__.py").read_text()


def test_it_takes_uploads_from_uv_publish(published, clients):
    newer = [
        clients.write(make_wheel("Tiny-Pkg", "3.0")),
        clients.write(make_sdist("Tiny-Pkg", "3.0")),
    ]
    clients.uv_publish(published["legacy"], published["token"], *newer)
    clients.uv_publish(published["legacy"], published["token"], *newer)  # identical: fine

    target = clients.home / "latest"
    clients.pip_install(published["index"], "tiny-pkg", target)
    assert 'VERSION = "3.0"' in (target / "tiny_pkg" / "__init__.py").read_text()
