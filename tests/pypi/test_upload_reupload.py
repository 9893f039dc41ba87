"""Re-uploads: identical bytes are an idempotent 200, other bytes a twine-readable 400."""

import hashlib
import json

from repository.models import Asset, AuditEvent, Repository, Sidecar, Version
from repository.services.packages import package_changed
from tests.pypi.builders import make_wheel


def test_it_answers_200_to_an_identical_re_upload(repo, upload, wheel):
    assert upload(repo, wheel).status_code == 200
    again = upload(repo, wheel)
    assert again.status_code == 200
    assert Asset.objects.filter(repository=repo, filename=wheel.filename).count() == 1


def test_it_refuses_other_bytes_under_the_same_filename(repo, upload, wheel):
    upload(repo, wheel)
    other = make_wheel("Tiny-Pkg", "1.0", summary="changed")
    response = upload(repo, other)
    assert response.status_code == 400
    assert "File already exists" in response.reason_phrase
    assert "File already exists" in response.content.decode()
    assert "was ever registered" not in response.content.decode()
    kept = Asset.objects.get(repository=repo, filename=wheel.filename)
    assert kept.blob_id == wheel.sha256


def test_it_keeps_nothing_of_a_refused_re_upload(repo, upload, wheel):
    upload(repo, wheel)
    events = AuditEvent.objects.count()
    upload(repo, make_wheel("Tiny-Pkg", "1.0", summary="changed"))
    assert AuditEvent.objects.count() == events
    assert Sidecar.objects.get().blob_id == hashlib.sha256(wheel.metadata).hexdigest()
    assert Asset.objects.filter(repository=repo).count() == 1


def test_it_replaces_the_file_where_the_repository_allows_redeploys(repo, upload, wheel):
    Repository.objects.filter(pk=repo.pk).update(redeploy_policy="allowed")
    repo.refresh_from_db()
    upload(repo, wheel)
    other = make_wheel("Tiny-Pkg", "1.0", summary="changed")
    assert upload(repo, other).status_code == 200
    assert Asset.objects.get(repository=repo, filename=wheel.filename).blob_id == other.sha256
    assert Sidecar.objects.get().blob_id == hashlib.sha256(other.metadata).hexdigest()


def test_an_identical_re_upload_fills_a_release_stored_without_metadata(
    repo, upload, wheel, client
):
    """The JSON API shows the metadata the re-upload brought, not the empty row's."""
    upload(repo, wheel)
    stored = Version.objects.get(package__repository=repo, version="1.0")
    Version.objects.filter(pk=stored.pk).update(metadata={})
    package_changed(stored.package)

    def summary() -> str:
        response = client.get("/repository/py/pypi/tiny-pkg/json")
        return json.loads(response.content)["info"]["summary"]

    assert summary() == ""
    assert upload(repo, wheel).status_code == 200
    assert summary() == "A tiny package for tests"
