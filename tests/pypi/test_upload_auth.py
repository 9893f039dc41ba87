"""Who may upload: deployers (by password or `__token__` API token), nobody else."""

from repository.models import Asset
from tests.conftest import PASSWORD, basic_auth
from tests.pypi.conftest import OUTSIDER, READER


def test_it_asks_anonymous_uploaders_to_authenticate(repo, upload, wheel):
    response = upload(repo, wheel, auth=None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not Asset.objects.exists()


def test_it_forbids_a_reader_to_upload(repo, upload, wheel):
    assert upload(repo, wheel, auth=READER).status_code == 403
    assert not Asset.objects.exists()


def test_it_forbids_an_outsider_to_upload(repo, upload, wheel, outsider):
    assert upload(repo, wheel, auth=OUTSIDER).status_code == 403


def test_it_refuses_a_wrong_password(repo, upload, wheel):
    assert upload(repo, wheel, auth=basic_auth("deployer", "wrong")).status_code == 401


def test_it_accepts_an_api_token_with_the_token_username(repo, upload, wheel, deployer, make_token):
    token = make_token(deployer)
    response = upload(repo, wheel, auth=basic_auth("__token__", token))
    assert response.status_code == 200
    assert Asset.objects.get(filename=wheel.filename).uploader == deployer


def test_it_refuses_a_read_only_token(repo, upload, wheel, deployer, make_token):
    token = make_token(deployer, readonly=True)
    assert upload(repo, wheel, auth=basic_auth("__token__", token)).status_code == 403


def test_it_refuses_a_token_limited_to_another_repository(
    repo, make_repository, upload, wheel, deployer, make_token
):
    other = make_repository("other", "pypi")
    token = make_token(deployer, repositories=[other])
    assert upload(repo, wheel, auth=basic_auth("__token__", token)).status_code == 403


def test_it_answers_405_to_a_get_on_the_upload_url(repo, client):
    response = client.get(
        "/repository/py/legacy/", HTTP_AUTHORIZATION=basic_auth("deployer", PASSWORD)
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
