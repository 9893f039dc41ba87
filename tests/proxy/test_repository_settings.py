"""Proxy settings through the repository service, the API and the admin: the core checks
`settings.proxy`, the format the rest, and credentials never come back out."""

import pytest

from repository.admin import RepositoryForm
from repository.formats import get_format
from repository.models import Repository
from repository.services.repositories import check_changes, clean_settings, update_repository

UPSTREAM = "https://upstream.example/simple/"
SECRET = "s3cret-password"


@pytest.fixture
def proxy(make_repository):
    settings = clean_settings(
        get_format("pypi"),
        "proxy",
        {"proxy": {"upstream": UPSTREAM, "auth": {"username": "ci", "password": SECRET}}},
    )
    return make_repository("pypi-proxy", "pypi", kind="proxy", settings=settings)


def test_the_core_checks_proxy_settings_and_the_format_the_rest():
    generic = get_format("generic")
    cleaned = clean_settings(
        generic, "proxy", {"layout": "flat", "proxy": {"upstream": "http://files.example"}}
    )
    assert cleaned["layout"] == "flat"
    assert cleaned["proxy"]["upstream"] == "http://files.example/"
    with pytest.raises(ValueError, match="layout"):
        clean_settings(generic, "proxy", {"layout": "odd", "proxy": {"upstream": UPSTREAM}})
    with pytest.raises(ValueError, match=r"needs settings\.proxy"):
        clean_settings(generic, "proxy", {})
    with pytest.raises(ValueError, match="for proxy repositories only"):
        clean_settings(generic, "hosted", {"proxy": {"upstream": UPSTREAM}})


def test_allow_and_deny_patterns_are_normalized_by_the_format():
    cleaned = clean_settings(
        get_format("pypi"), "proxy", {"proxy": {"upstream": UPSTREAM, "allow": ["Zope.*"]}}
    )
    assert cleaned["proxy"]["allow"] == ["zope-*"]


def test_an_update_keeps_the_credentials_it_leaves_out(proxy, db):
    update_repository(proxy, settings={"proxy": {"upstream": UPSTREAM, "metadata_ttl": 30}})
    proxy.refresh_from_db()
    assert proxy.settings["proxy"]["metadata_ttl"] == 30
    assert proxy.settings["proxy"]["auth"] == {"username": "ci", "password": SECRET}
    with pytest.raises(ValueError, match="must be a whole number"):
        check_changes(proxy, settings={"proxy": {"upstream": UPSTREAM, "metadata_ttl": "x"}})


def test_the_api_never_echoes_upstream_credentials(api, admin, reader, proxy):
    for user in (admin, reader):
        response = api("GET", "/api/v1/repositories/pypi-proxy/", user=user)
        assert response.status_code == 200
        assert response.json()["settings"]["proxy"]["auth"] == {"type": "basic"}
        assert SECRET not in response.content.decode()
    listing = api("GET", "/api/v1/repositories/", user=admin)
    assert SECRET not in listing.content.decode()


def test_the_api_changes_proxy_settings_keeping_credentials(api, admin, proxy):
    shown = api("GET", "/api/v1/repositories/pypi-proxy/", user=admin).json()["settings"]
    shown["proxy"]["offline"] = True
    url = "/api/v1/repositories/pypi-proxy/"
    response = api("PATCH", url, user=admin, body={"settings": shown})
    assert response.status_code == 200, response.content
    stored = Repository.objects.get(name="pypi-proxy").settings["proxy"]
    assert stored["offline"] is True
    assert stored["auth"]["password"] == SECRET


def test_the_admin_form_does_not_show_the_credentials(proxy):
    form = RepositoryForm(instance=proxy)
    assert SECRET not in str(form["settings"].value())
