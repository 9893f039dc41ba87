"""`larder yank`: any format's version, found by its normalized name; undoable; audited."""

import pytest

from repository.formats import get_format
from repository.models import AuditEvent, Package
from repository.services.packages import ensure_package, ensure_version


@pytest.fixture
def version(make_repository):
    repository = make_repository("py", "pypi")
    package, _ = ensure_package(repository, get_format("pypi"), "My_Project")
    found, _ = ensure_version(package, "1.0")
    return found


def test_it_yanks_a_version_by_its_unnormalized_name(larder, version):
    generation = Package.objects.get(pk=version.package_id).generation
    result = larder("yank", "py", "my.project", "1.0", "--reason", "broken build")
    assert result.code == 0
    assert result.stdout == ""
    version.refresh_from_db()
    assert version.yanked
    assert version.yanked_reason == "broken build"
    # Served documents are invalidated, so the next index read shows the yank.
    assert Package.objects.get(pk=version.package_id).generation > generation


def test_it_undoes_a_yank(larder, version):
    larder("yank", "py", "My_Project", "1.0", "--reason", "oops")
    result = larder("yank", "py", "My_Project", "1.0", "--undo")
    assert result.code == 0
    version.refresh_from_db()
    assert not version.yanked
    assert version.yanked_reason == ""


def test_it_audits_yank_and_undo(larder, version):
    larder("yank", "py", "my-project", "1.0", "--reason", "cve")
    larder("yank", "py", "my-project", "1.0", "--undo")
    actions = list(AuditEvent.objects.order_by("created").values_list("action", "repository_name"))
    assert actions == [("version.yank", "py"), ("version.unyank", "py")]
    assert AuditEvent.objects.get(action="version.yank").details["reason"] == "cve"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope", "my-project", "1.0"], "no repository named 'nope'"),
        (["py", "other", "1.0"], "no package 'other'"),
        (["py", "my-project", "9.9"], "has no version '9.9'"),
    ],
    ids=["repository", "package", "version"],
)
def test_it_fails_for_what_does_not_exist(larder, version, argv, message):
    result = larder("yank", *argv)
    assert result.code == 1
    assert message in result.stderr
    version.refresh_from_db()
    assert not version.yanked
    assert not AuditEvent.objects.exists()


def test_it_finds_a_version_written_in_another_pep_440_spelling(larder, make_repository):
    repository = make_repository("rc", "pypi")
    package, _ = ensure_package(repository, get_format("pypi"), "demo")
    stored, _ = ensure_version(package, "1.0rc1")
    assert larder("yank", "rc", "demo", "1.0-RC1").code == 0
    stored.refresh_from_db()
    assert stored.yanked
