"""/ui/audit/: superusers browse and filter every event and export CSV; a repository's
admins see its events; sign-ins are recorded with the address."""

from django.test import Client

from repository.audit import record
from repository.models import AuditEvent, RepositoryRole, Role
from tests.conftest import PASSWORD
from tests.ui.conftest import csrf_client


def test_sign_ins_are_recorded_with_the_address(reader):
    Client().post("/login/", {"username": "reader", "password": "wrong"})
    Client().post("/login/", {"username": "reader", "password": PASSWORD})
    failed = AuditEvent.objects.get(action="auth.login", outcome="failure")
    worked = AuditEvent.objects.get(action="auth.login", outcome="success")
    assert (failed.target, failed.remote_addr, failed.details["via"]) == (
        "reader",
        "127.0.0.1",
        "ui",
    )
    assert (worked.actor_name, worked.remote_addr) == ("reader", "127.0.0.1")
    assert "wrong" not in str(failed.details)


def test_failed_basic_auth_is_recorded(client, reader, make_repository):
    make_repository("py", "pypi", private=True)
    from tests.conftest import basic_auth

    client.get("/repository/py/simple/", HTTP_AUTHORIZATION=basic_auth("reader", "nope"))
    event = AuditEvent.objects.get(action="auth.login", outcome="failure")
    assert (event.target, event.details["via"]) == ("reader", "basic")


def test_a_superuser_filters_and_exports(admin, make_repository):
    repo = make_repository("team", "generic")
    record(None, "asset.create", repository=repo, target="kept.bin")
    record(None, "asset.create", target="other.bin")
    client = csrf_client(admin)
    page = client.get("/ui/audit/?repository=team").content.decode()
    assert "kept.bin" in page and "other.bin" not in page
    export = client.get("/ui/audit/?repository=team&export=csv")
    assert export["Content-Type"] == "text/csv"
    text = b"".join(export.streaming_content).decode()
    assert "kept.bin" in text and "other.bin" not in text


def test_a_repository_admin_sees_only_its_events(make_user, make_repository):
    repo = make_repository("team", "generic")
    owner = make_user("owner")
    RepositoryRole.objects.create(user=owner, repository=repo, role=Role.ADMIN)
    record(None, "asset.create", repository=repo, target="mine.bin")
    record(None, "asset.create", repository="elsewhere", target="theirs.bin")
    page = csrf_client(owner).get("/ui/audit/").content.decode()
    assert "mine.bin" in page and "theirs.bin" not in page


def test_others_are_refused(deployer):
    assert csrf_client(deployer).get("/ui/audit/").status_code == 403


def test_a_bad_date_is_a_400_with_the_reason(admin):
    response = csrf_client(admin).get("/ui/audit/?since=yesterday")
    assert response.status_code == 400
