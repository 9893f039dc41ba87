"""The Django admin's repository pages go through the repository service: same checks, audit."""

import pytest

from repository.models import ApiToken, AuditEvent, Repository

ADD = "/admin/repository/repository/add/"


@pytest.fixture
def staff(client, admin):
    client.force_login(admin)
    return client


def form(**fields) -> dict:
    values = {
        "name": "tools",
        "format": "pypi",
        "kind": "hosted",
        "description": "",
        "anonymous_read": "on",
        "redeploy_policy": "forbidden",
        "delete_policy": "allowed",
        "trash_days": "7",
        "soft_quota_bytes": "",
        "quota_bytes": "",
        "settings": "{}",
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def test_it_creates_a_repository_with_an_audit_event(staff, admin):
    response = staff.post(ADD, form(anonymous_read=None))
    assert response.status_code == 302
    repository = Repository.objects.get(name="tools")
    assert (repository.format, repository.anonymous_read) == ("pypi", False)
    event = AuditEvent.objects.get(action="repository.create")
    assert event.actor == admin


def test_it_offers_registered_formats_and_every_kind(staff):
    page = staff.get(ADD).content.decode()
    for value in ["pypi", "npm", "generic", "hosted", "proxy", "group"]:
        assert f'value="{value}"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"format": "generic", "settings": '{"layout": "deep"}'}, "layout must be one of"),
        ({"quota_bytes": "0"}, "quota_bytes must be a positive number"),
        ({"kind": "proxy"}, "a proxy repository needs settings.proxy, with its upstream URL"),
    ],
)
def test_it_shows_the_services_reasons_and_creates_nothing(staff, fields, message):
    response = staff.post(ADD, form(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Repository.objects.exists()


def test_it_changes_a_repository_but_never_its_name_or_format(staff, make_repository):
    repository = make_repository("tools", "pypi")
    url = f"/admin/repository/repository/{repository.pk}/change/"
    response = staff.post(url, form(name="renamed", format="npm", description="Internal"))
    assert response.status_code == 302
    repository.refresh_from_db()
    assert (repository.name, repository.format) == ("tools", "pypi")
    assert repository.description == "Internal"
    assert AuditEvent.objects.get(action="repository.update").details == {"fields": ["description"]}


def test_it_deletes_through_the_service(staff, make_repository, make_token, reader):
    repository = make_repository("tools", "pypi", private=True)
    make_token(reader, repositories=[repository])
    url = f"/admin/repository/repository/{repository.pk}/delete/"
    assert staff.post(url, {"post": "yes"}).status_code == 302
    assert not Repository.objects.exists()
    assert ApiToken.objects.get().revoked is not None
    assert AuditEvent.objects.filter(action="repository.delete").exists()


def test_it_is_closed_to_non_staff(client, reader):
    client.force_login(reader)
    response = client.get(ADD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
