"""Stored content in the admin is read-only; deletes and yanks go through the services."""

import pytest

from repository.models import AuditEvent, Blob, Package, Repository, Version


@pytest.fixture
def staff(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def asset(make_repository, add_file):
    return add_file(make_repository("py", "pypi"), "demo", "1.0", "demo-1.0.tar.gz")


@pytest.mark.parametrize("model", ["package", "version", "asset", "blob", "tag", "auditevent"])
def test_it_lists_but_never_adds(staff, asset, model):
    assert staff.get(f"/admin/repository/{model}/").status_code == 200
    assert staff.get(f"/admin/repository/{model}/add/").status_code == 403


def test_it_deletes_a_package_through_the_service_with_an_audit_event(
    staff, asset, django_capture_on_commit_callbacks
):
    repository = Repository.objects.get(name="py")
    url = f"/admin/repository/package/{asset.package_id}/delete/"
    with django_capture_on_commit_callbacks(execute=True):  # the delete commits
        assert staff.post(url, {"post": "yes"}).status_code == 302
    assert not Package.objects.exists()
    # The service marks the repository's listings stale, so no index keeps the package.
    assert Repository.objects.get(pk=repository.pk).generation > repository.generation
    event = AuditEvent.objects.get(action="package.delete")
    assert (event.repository_name, event.target) == ("py", "py/demo")


def test_it_yanks_and_unyanks_versions_with_audit_events(staff, asset):
    selected = {"_selected_action": [str(asset.version_id)]}
    staff.post("/admin/repository/version/", {"action": "yank", **selected})
    assert Version.objects.get().yanked
    staff.post("/admin/repository/version/", {"action": "unyank", **selected})
    assert not Version.objects.get().yanked
    assert AuditEvent.objects.filter(action__in=["version.yank", "version.unyank"]).count() == 2


def test_it_leaves_blobs_to_garbage_collection(staff, asset):
    assert staff.get(f"/admin/repository/blob/{asset.blob_id}/delete/").status_code == 403
    assert Blob.objects.exists()


def test_it_keeps_the_audit_trail_read_only(staff, asset):
    AuditEvent.objects.create(action="test.event", target="x")
    event = AuditEvent.objects.get(action="test.event")
    url = f"/admin/repository/auditevent/{event.pk}/"
    assert staff.get(url + "change/").status_code == 200
    staff.post(url + "change/", {"action": "forged"})
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
    assert staff.get(url + "delete/").status_code == 403
