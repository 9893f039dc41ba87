"""Pinning a version from the package page: its admins only; pinned versions are marked."""

import pytest

from repository.models import VersionPin
from tests.ui.conftest import client_for

URL = "/ui/repositories/py/pins/alpha/1.0/"


@pytest.fixture
def py(make_repository, publish):
    repository = make_repository("py", "pypi")
    publish(repository, "alpha", "1.0")
    return repository


def test_an_admin_pins_and_unpins_from_the_package_page(admin, py):
    client = client_for(admin)
    page = client.get("/ui/repositories/py/packages/alpha/").content.decode()
    assert 'aria-label="Pin 1.0"' in page
    response = client.post(URL, {"pinned": "1"}, follow=True)
    assert "no retention policy will delete it" in response.content.decode()
    assert VersionPin.objects.get().pinned_by == admin
    assert 'class="badge badge-pinned"' in response.content.decode()
    client.post(URL, {"pinned": "0"})
    assert not VersionPin.objects.exists()


def test_others_cannot_pin(deployer, py):
    client = client_for(deployer)
    assert b"Pin 1.0" not in client.get("/ui/repositories/py/packages/alpha/").content
    assert client.post(URL, {"pinned": "1"}).status_code == 404
    assert not VersionPin.objects.exists()
