"""A group's pages: members in order, reordering by its admins, where a package came from."""

import pytest

from repository.models import Repository
from repository.services.repositories import create_repository
from tests.groups.conftest import mirror_wheel
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import DEPLOYER, form_for


@pytest.fixture
def group(make_repository, client):
    make_repository("corp", "pypi")
    mirror = make_repository("mirror", "pypi", kind="proxy")
    group = create_repository(
        "everything",
        "pypi",
        kind="group",
        settings={"members": ["corp", "mirror"], "write_to": "corp"},
    )
    wheel = make_wheel("corp-utils", "1.0")
    assert (
        client.post(
            "/repository/corp/legacy/", form_for(wheel), HTTP_AUTHORIZATION=DEPLOYER
        ).status_code
        == 200
    )
    mirror_wheel(mirror, "corp-utils", "99.0", "corp_utils-99.0-py3-none-any.whl", b"evil")
    mirror_wheel(mirror, "requests", "2.0", "requests-2.0-py3-none-any.whl", b"x")
    return group


def test_a_groups_page_lists_its_members_in_order_and_their_packages(group, client):
    html = client.get("/ui/repositories/everything/").content.decode()
    assert html.index(">corp</a>") < html.index(">mirror</a>")
    assert "Uploads go here" in html
    assert "requests" in html and "corp-utils" in html


def test_a_package_page_says_which_member_served_it_and_that_the_shield_applied(group, client):
    html = client.get("/ui/repositories/everything/packages/corp-utils/").content.decode()
    assert "Served by member" in html and ">corp</a>" in html
    assert "shield applied: versions from mirror are not merged in" in html
    assert "99.0" not in html


def test_the_groups_admins_reorder_its_members(group, admin, client):
    client.force_login(admin)
    response = client.post(
        "/ui/repositories/everything/members/", {"member": "mirror", "move": "up"}
    )
    assert response.status_code == 302
    assert Repository.objects.get(name="everything").settings["members"] == ["mirror", "corp"]


def test_no_one_else_may_reorder_them(group, deployer, client):
    client.force_login(deployer)
    response = client.post(
        "/ui/repositories/everything/members/", {"member": "mirror", "move": "up"}
    )
    assert response.status_code == 403
    assert Repository.objects.get(name="everything").settings["members"] == ["corp", "mirror"]


def test_reordering_needs_the_csrf_token_of_a_browser_session(group, admin):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    response = browser.post(
        "/ui/repositories/everything/members/", {"member": "mirror", "move": "up"}
    )
    assert response.status_code == 403
