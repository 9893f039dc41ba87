"""Proxy repositories in the UI: created and changed by forms (credentials never shown
back), the upstream's status on the repository page, per file whether it is cached, and
the cooldown on a package page with an admin's exemption."""

import pytest

from repository.models import AuditEvent, Repository, RepositoryRole, Role
from repository.services.repositories import create_repository
from tests.proxy.helpers import cooled_proxy
from tests.ui.conftest import blob_for, client_for, csrf_client, post, table_rows

NEW = "/ui/proxies/new/"
SECRET = "hunter2-secret"


def form_data(upstream: str, **fields) -> dict:
    """The proxy form as a person fills it (the defaults left as shown)."""
    return {
        "upstream": upstream,
        "metadata_ttl": "600",
        "negative_ttl": "60",
        "connect_timeout": "5",
        "read_timeout": "30",
        "cooldown_days": "0",
        "breaker_threshold": "5",
        "breaker_open_seconds": "60",
        "auth": "none",
        **fields,
    }


@pytest.fixture
def proxy(db, pypiserver, reader):
    repository = create_repository(
        "py-proxy",
        "pypi",
        kind="proxy",
        settings={
            "proxy": {
                "upstream": pypiserver.index_url,
                "auth": {"username": "ci-bot", "password": SECRET},
                "breaker_threshold": 1,
            }
        },
    )
    RepositoryRole.objects.create(user=reader, repository=repository, role=Role.READER)
    return repository


def test_an_admin_creates_a_proxy_repository_from_the_form(admin):
    client = csrf_client(admin)
    assert "New proxy repository" in client.get("/").content.decode()
    fields = form_data(
        "https://upstream.example/simple/",
        name="py-mirror",
        format="pypi",
        private="on",
        cooldown_days="3",
        metadata_ttl="120",
        deny="Evil_Pkg\n\ncorp-*",
        auth="bearer",
        token=SECRET,
    )
    response = post(client, NEW, fields, page_url=NEW)
    assert response.status_code == 302 and response["Location"] == "/ui/repositories/py-mirror/"
    repository = Repository.objects.get(name="py-mirror")
    assert (repository.kind, repository.anonymous_read) == ("proxy", False)
    proxy = repository.settings["proxy"]
    assert proxy["upstream"] == "https://upstream.example/simple/"
    assert (proxy["cooldown_days"], proxy["metadata_ttl"]) == (3, 120)
    assert proxy["deny"] == ["evil-pkg", "corp-*"]
    assert proxy["auth"] == {"token": SECRET}
    assert AuditEvent.objects.filter(action="repository.create", target="py-mirror").exists()
    page = client.get("/ui/repositories/py-mirror/").content.decode()
    assert "https://upstream.example/simple/" in page and SECRET not in page


def test_the_form_says_what_is_wrong_and_creates_nothing(admin):
    client = client_for(admin)
    cases = [
        (form_data("ftp://upstream.example/", name="p", format="pypi"), "must start with http"),
        (form_data("https://upstream.example/", name="p", format="nuget"), "Select a valid choice"),
        (
            form_data("https://upstream.example/", name="p", format="pypi", auth="basic"),
            "need a user name and a password",
        ),
        (form_data("https://upstream.example/", name="p", format="pypi", read_timeout="0"), ">"),
    ]
    for fields, message in cases:
        response = client.post(NEW, fields)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert not Repository.objects.exists()


def test_only_admins_of_all_repositories_create_proxies(deployer, db):
    anonymous = client_for().get(NEW)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    client = client_for(deployer)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data("https://upstream.example/", name="p")).status_code == 403
    assert "New proxy repository" not in client.get("/").content.decode()


def test_the_settings_page_never_shows_the_credentials_and_keeps_them(admin, proxy):
    client = client_for(admin)
    url = "/ui/repositories/py-proxy/proxy/"
    page = client.get(url).content.decode()
    assert SECRET not in page and "ci-bot" not in page
    assert "Keep the stored user and password" in page
    fields = form_data(proxy.settings["proxy"]["upstream"], auth="keep", metadata_ttl="30")
    assert client.post(url, fields).status_code == 302
    proxy.refresh_from_db()
    assert proxy.settings["proxy"]["metadata_ttl"] == 30
    assert proxy.settings["proxy"]["auth"] == {"username": "ci-bot", "password": SECRET}
    assert AuditEvent.objects.filter(action="repository.update", target="py-proxy").exists()

    client.post(url, {**fields, "auth": "none"})
    proxy.refresh_from_db()
    assert proxy.settings["proxy"]["auth"] is None


def test_only_the_repositorys_admins_change_its_settings(deployer, reader, proxy):
    url = "/ui/repositories/py-proxy/proxy/"
    for user in (deployer, reader):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, form_data("https://upstream.example/")).status_code == 404
        assert "/proxy/" not in client.get("/ui/repositories/py-proxy/").content.decode()
    proxy.refresh_from_db()
    assert proxy.settings["proxy"]["upstream"] != "https://upstream.example/"


def test_the_settings_form_needs_the_csrf_token(admin, proxy):
    client = csrf_client(admin)
    url = "/ui/repositories/py-proxy/proxy/"
    assert client.post(url, form_data("https://upstream.example/")).status_code == 403


def test_the_repository_page_shows_the_upstream_and_its_status(admin, reader, proxy, pypiserver):
    client = client_for(reader)
    page = client.get("/ui/repositories/py-proxy/").content.decode()
    assert pypiserver.index_url in page
    assert "<dt>Circuit breaker</dt><dd>Closed</dd>" in page
    assert "<dt>Last success</dt><dd>Never</dd>" in page
    assert "Nothing cached yet" in page
    assert SECRET not in page and "ci-bot" not in page

    assert client.get("/ui/repositories/py-proxy/packages/six/").status_code == 200
    pypiserver.front.fault(status=500)
    failed = client.get("/ui/repositories/py-proxy/packages/idna/")
    assert failed.status_code == 502
    assert "idna/: the upstream answered 500" in failed.content.decode()
    page = client.get("/ui/repositories/py-proxy/").content.decode()
    assert "<dt>Circuit breaker</dt><dd>Open, retries in" in page
    assert "Last success</dt><dd><time" in page
    assert f"Last error: <code>{pypiserver.index_url}idna/: the upstream answered 500" in page
    assert "Proxy settings" in client_for(admin).get("/ui/repositories/py-proxy/").content.decode()


def test_package_pages_say_which_files_are_cached(reader, proxy):
    client = client_for(reader)
    assert client.get("/ui/repositories/py-proxy/packages/six/").status_code == 200
    wheel = proxy.assets.get(filename="six-1.17.0-py2.py3-none-any.whl")
    wheel.blob = blob_for(b"wheel bytes")
    wheel.save()
    rows = table_rows(client.get("/ui/repositories/py-proxy/packages/six/"))
    cached = {row[0]: row[-1] for row in rows}
    assert cached == {
        "six-1.17.0-py2.py3-none-any.whl": "Cached",
        "six-1.16.0-py2.py3-none-any.whl": "Not yet",
        "six-1.16.0.tar.gz": "Not yet",
    }
    page = client.get("/ui/repositories/py-proxy/").content.decode()
    assert "<dt>Cached</dt><dd>11\xa0bytes</dd>" in page


@pytest.fixture
def cooled(db, pypiserver, reader):
    """pypiserver gives no upload times: versions it adds after Larder's first fetch count
    from when Larder sees them, so six's two are held back."""
    repository = cooled_proxy(pypiserver.index_url)
    RepositoryRole.objects.create(user=reader, repository=repository, role=Role.READER)
    return repository


def test_the_package_page_says_how_many_versions_cooldown_holds_back(reader, cooled):
    page = client_for(reader).get("/ui/repositories/cooled/packages/six/").content.decode()
    assert "2 versions held back by cooldown" in page
    assert "younger than 7 days" in page
    assert "Exempt six from the cooldown" not in page


def test_an_admin_exempts_a_package_and_its_versions_come_in(admin, cooled):
    client = csrf_client(admin)
    page_url = "/ui/repositories/cooled/packages/six/"
    assert "Exempt six from the cooldown" in client.get(page_url).content.decode()
    response = post(client, "/ui/repositories/cooled/cooldown/six/", {"exempt": "1"}, page_url)
    assert response.status_code == 302 and response["Location"] == page_url
    cooled.refresh_from_db()
    assert cooled.settings["proxy"]["cooldown_exempt"] == ["six"]
    page = client.get(page_url).content.decode()
    assert "six is exempt from the cooldown." in page
    assert "Exempt from the cooldown" in page and "held back" not in page
    assert '<h3 id="version-' in page and ">1.17.0</h3>" in page

    post(client, "/ui/repositories/cooled/cooldown/six/", {"exempt": "0"}, page_url)
    cooled.refresh_from_db()
    assert cooled.settings["proxy"]["cooldown_exempt"] == []


def test_only_the_repositorys_admins_exempt_packages(deployer, reader, cooled):
    client_for(reader).get("/ui/repositories/cooled/packages/six/")
    for user in (deployer, reader):
        response = client_for(user).post("/ui/repositories/cooled/cooldown/six/", {"exempt": "1"})
        assert response.status_code == 404
    cooled.refresh_from_db()
    assert cooled.settings["proxy"]["cooldown_exempt"] == []


def test_a_proxys_page_shows_how_to_install_not_how_to_publish(make_repository, proxy):
    make_repository("hosted", "pypi")
    hosted = client_for().get("/ui/repositories/hosted/").content.decode()
    assert "twine upload" in hosted and "poetry publish" in hosted
    page = client_for().get("/ui/repositories/py-proxy/").content.decode()
    assert "pip install --index-url http://testserver/repository/py-proxy/simple/" in page
    assert "twine upload" not in page and "poetry publish" not in page
    assert "A proxy takes no uploads" in page
