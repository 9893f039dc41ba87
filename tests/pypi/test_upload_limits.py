"""Oversized uploads get a 413 in twine's format and leave nothing recorded."""

from repository.models import Asset
from tests.pypi.conftest import DEPLOYER, form_for


def test_it_refuses_a_file_over_the_upload_limit(repo, upload, wheel, settings):
    settings.LARDER_MAX_UPLOAD_BYTES = len(wheel.data) - 1
    response = upload(repo, wheel)
    assert response.status_code == 413
    assert "exceeds the limit" in response.reason_phrase
    assert "exceeds the limit" in response.content.decode()
    assert not Asset.objects.exists()


def test_it_refuses_from_the_content_length_before_reading_the_body(repo, wheel, settings, rf):
    from repository.access.credentials import Caller
    from repository.dispatch import repository_dispatch

    settings.LARDER_MAX_UPLOAD_BYTES = 10
    request = rf.post("/", form_for(wheel), CONTENT_LENGTH=str(64 * 1024**2))
    request.user = repo.roles.get(role="deployer").user
    request.caller = Caller(user=request.user)
    response = repository_dispatch(request, repo.name, "legacy/")
    assert response.status_code == 413
    assert not hasattr(request, "_files")  # the multipart body was never parsed


def test_it_accepts_a_file_at_the_limit(repo, upload, wheel, settings):
    settings.LARDER_MAX_UPLOAD_BYTES = len(wheel.data)
    assert upload(repo, wheel, auth=DEPLOYER).status_code == 200
