"""PUT <path>: 201 new, 200 identical again, 409 or replace by policy; streamed; audited."""

import io

import pytest

from repository.models import Asset, AuditEvent, Repository
from repository.storage import blob_store
from tests.conftest import basic_auth
from tests.generic.conftest import DEPLOYER, OUTSIDER, READER, ExplodingStream, sha256, url


def stored(repository, path: str) -> bytes | None:
    asset = Asset.objects.filter(repository=repository, path=path).first()
    if asset is None:
        return None
    with blob_store().open(asset.blob_id) as handle:
        return handle.read()


class BrokenStream:
    """A client that disconnects mid-upload (the server's reader raises)."""

    def __init__(self) -> None:
        self.sent = False

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)

    def read(self, size: int = -1) -> bytes:
        if self.sent:
            raise OSError("connection reset by peer")
        self.sent = True
        return b"partial"


def test_it_creates_a_file_with_201_and_its_location(repo, put):
    response = put(repo, "builds/app.tar.gz", b"payload")
    assert response.status_code == 201
    assert response["Location"] == "http://testserver/repository/files/builds/app.tar.gz"
    assert sha256(b"payload") in response.content.decode()
    assert stored(repo, "builds/app.tar.gz") == b"payload"
    asset = Asset.objects.get(repository=repo, path="builds/app.tar.gz")
    assert asset.filename == "app.tar.gz"
    assert asset.uploader.username == "deployer"
    assert asset.package is None


def test_it_answers_200_for_identical_bytes_again(repo, put):
    put(repo, "a.bin", b"same")
    again = put(repo, "a.bin", b"same")
    assert again.status_code == 200
    assert "Unchanged" in again.content.decode()
    assert Asset.objects.filter(repository=repo).count() == 1


def test_it_refuses_other_bytes_with_409_when_the_repository_is_immutable(repo, put):
    put(repo, "a.bin", b"first")
    response = put(repo, "a.bin", b"second")
    assert response.status_code == 409
    assert "already exists" in response.content.decode()
    assert stored(repo, "a.bin") == b"first"


def test_it_replaces_other_bytes_when_the_repository_allows_redeploys(make_repository, put):
    repo = make_repository("snapshots", "generic", redeploy_policy="allowed")
    put(repo, "a.bin", b"first")
    response = put(repo, "a.bin", b"second")
    assert response.status_code == 200
    assert "Replaced" in response.content.decode()
    assert stored(repo, "a.bin") == b"second"


def test_it_stores_an_empty_file(repo, put):
    assert put(repo, "empty", b"").status_code == 201
    assert stored(repo, "empty") == b""


def test_it_describes_the_file_as_json_when_asked(repo, put):
    response = put(repo, "a.json", b"{}", HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    document = response.json()
    assert document["path"] == "a.json"
    assert document["sha256"] == sha256(b"{}")
    assert document["size"] == 2
    assert document["created"] is True


def test_it_records_an_audit_event_for_each_upload(repo, put):
    put(repo, "a.bin", b"one")
    put(repo, "a.bin", b"one")
    events = list(AuditEvent.objects.filter(action="asset.upload").order_by("created"))
    assert [event.details["outcome"] for event in events] == ["created", "unchanged"]
    assert events[0].actor.username == "deployer"
    assert events[0].repository_name == "files"
    assert events[0].target == "a.bin"
    assert events[0].details["sha256"] == sha256(b"one")


def test_it_reads_a_chunked_body_to_its_end(repo, client):
    data = b"x" * (3 * 1024 * 1024 + 5)  # several chunks
    response = client.generic(
        "PUT",
        url(repo, "chunked.bin"),
        **{
            "HTTP_AUTHORIZATION": DEPLOYER,
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(data),
        },
    )
    assert response.status_code == 201
    assert stored(repo, "chunked.bin") == data


def test_it_stores_nothing_when_the_body_ends_before_its_content_length(repo, client):
    response = client.generic(
        "PUT",
        url(repo, "short.bin"),
        **{
            "HTTP_AUTHORIZATION": DEPLOYER,
            "CONTENT_LENGTH": "100",
            "wsgi.input": io.BytesIO(b"only 17 bytes...."),
        },
    )
    assert response.status_code == 400
    assert "ended early" in response.content.decode()
    assert not Asset.objects.exists()


def test_it_stores_nothing_when_a_chunked_upload_breaks_off(repo, client):
    response = client.generic(
        "PUT",
        url(repo, "broken.bin"),
        **{
            "HTTP_AUTHORIZATION": DEPLOYER,
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": BrokenStream(),
        },
    )
    assert response.status_code == 400
    assert not Asset.objects.exists()


def test_it_refuses_a_declared_size_past_the_limit_before_reading(repo, client, settings):
    settings.LARDER_MAX_UPLOAD_BYTES = 10
    response = client.generic(
        "PUT",
        url(repo, "big.bin"),
        **{
            "HTTP_AUTHORIZATION": DEPLOYER,
            "CONTENT_LENGTH": "11",
            "wsgi.input": ExplodingStream(),
        },
    )
    assert response.status_code == 413
    assert not Asset.objects.exists()


def test_it_refuses_a_chunked_upload_that_grows_past_the_limit(repo, client, settings):
    settings.LARDER_MAX_UPLOAD_BYTES = 10
    response = client.generic(
        "PUT",
        url(repo, "big.bin"),
        **{
            "HTTP_AUTHORIZATION": DEPLOYER,
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(b"x" * 11),
        },
    )
    assert response.status_code == 413
    assert not Asset.objects.exists()


def test_it_refuses_an_upload_past_the_repository_quota(make_repository, put):
    repo = make_repository("small", "generic", quota_bytes=4)
    assert put(repo, "a", b"1234").status_code == 201
    response = put(repo, "b", b"5")
    assert response.status_code == 413
    assert "quota" in response.content.decode()
    assert not Asset.objects.filter(path="b").exists()


def test_it_answers_401_to_anonymous_uploads_with_a_challenge(repo, put):
    response = put(repo, "a.bin", b"x", auth=None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not Asset.objects.exists()


@pytest.mark.parametrize("auth", [READER, OUTSIDER], ids=["reader", "outsider"])
def test_it_answers_403_to_users_who_may_not_deploy(repo, put, outsider, auth):
    response = put(repo, "a.bin", b"x", auth=auth)
    assert response.status_code == 403
    assert not Asset.objects.exists()


def test_it_answers_401_to_wrong_credentials(repo, put):
    assert put(repo, "a.bin", b"x", auth=basic_auth("deployer", "wrong")).status_code == 401


def test_it_accepts_an_api_token_as_bearer_or_basic_password(repo, put, deployer, make_token):
    token = make_token(deployer)
    assert put(repo, "a", b"1", auth=f"Bearer {token}").status_code == 201
    assert put(repo, "b", b"2", auth=basic_auth("__token__", token)).status_code == 201


def test_it_refuses_writes_with_a_read_only_token(repo, put, deployer, make_token):
    token = make_token(deployer, readonly=True)
    assert put(repo, "a", b"1", auth=f"Bearer {token}").status_code == 403


def test_it_answers_404_for_an_unknown_repository(put, db):
    response = put(Repository(name="nope"), "a.bin", b"x")
    assert response.status_code == 404


def test_it_answers_405_to_a_put_on_a_folder_url(repo, put):
    response = put(repo, "folder/", b"x")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert not Asset.objects.exists()
