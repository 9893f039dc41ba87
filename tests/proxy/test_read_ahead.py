"""Reading ahead: a client that reads a packument through an npm proxy next asks for the
packages its newest version depends on, one at a time, and then for the tarballs. The
proxy fetches those first (a Celery task, run here as the worker would), so the client
finds them mirrored and stored; only what a client caused, and only what the name rules
let the proxy ask for."""

import pytest
from django.test import Client
from django.urls import reverse

from repository import celery_app
from repository.models import Asset, Package
from repository.services.repositories import create_repository
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)

ABBREVIATED = "application/vnd.npm.install-v1+json"
BROKER = celery_app.conf.broker_url
TARBALLS = ("to-regex-range/-/to-regex-range-5.0.1.tgz", "is-number/-/is-number-7.0.0.tgz")


def _proxy(verdaccio, **settings) -> None:
    proxy = {"upstream": verdaccio.registry, "read_ahead": True, **settings}
    create_repository("npm-ahead", "npm", kind="proxy", settings={"proxy": proxy})


def _read(client: Client, name: str) -> None:
    """What `npm install` asks first: the abbreviated packument."""
    response = client.get(f"/repository/npm-ahead/{name}", HTTP_ACCEPT=ABBREVIATED)
    assert response.status_code == 200


def _cached(path: str) -> bool:
    asset = Asset.objects.filter(repository__name="npm-ahead", path=path).first()
    return asset is not None and asset.blob_id is not None


def _mirrored(name: str) -> bool:
    return Package.objects.filter(repository__name="npm-ahead", name=name).exists()


def test_a_packument_read_brings_its_dependencies_and_tarballs_ahead(verdaccio, eager_tasks):
    _proxy(verdaccio)
    client = Client()
    _read(client, "to-regex-range")

    assert _mirrored("is-number")  # to-regex-range 5.0.1 depends on it
    assert all(_cached(path) for path in TARBALLS)  # and is-number's own, read ahead in turn
    assert verdaccio.front.requests("/is-number") == 1

    dependency = client.get("/repository/npm-ahead/is-number", HTTP_ACCEPT=ABBREVIATED)
    assert dependency.json()["dist-tags"]["latest"] == "7.0.0"
    tarball = client.get(f"/repository/npm-ahead/{TARBALLS[1]}")
    assert b"".join(tarball.streaming_content)
    assert verdaccio.front.requests("/is-number") == 1
    assert verdaccio.front.requests("/is-number/-/*") == 1


def test_reading_ahead_off_fetches_only_what_clients_ask_for(verdaccio, eager_tasks):
    _proxy(verdaccio, read_ahead=False)
    _read(Client(), "to-regex-range")

    assert not _mirrored("is-number")
    assert not any(_cached(path) for path in TARBALLS)
    assert verdaccio.front.requests("/is-number*") == 0


def test_reading_ahead_never_asks_for_a_name_the_rules_deny(verdaccio, eager_tasks):
    _proxy(verdaccio, deny=["is-*"])
    _read(Client(), "to-regex-range")

    assert _cached(TARBALLS[0])
    assert not _mirrored("is-number")
    assert verdaccio.front.requests("/is-number*") == 0


def test_browsing_a_package_in_the_web_ui_reads_nothing_ahead(verdaccio, eager_tasks):
    _proxy(verdaccio)
    page = Client().get(
        reverse("ui:package-detail", kwargs={"name": "npm-ahead", "package_name": "to-regex-range"})
    )
    assert page.status_code == 200
    assert not _mirrored("is-number")
    assert not _cached(TARBALLS[0])


def test_a_version_held_back_by_cooldown_is_not_read_ahead_of(verdaccio, eager_tasks):
    _proxy(verdaccio, cooldown_days=3)  # everything here was published this session
    _read(Client(), "to-regex-range")
    assert not _mirrored("is-number")
    assert verdaccio.front.requests("/is-number*") == 0


def test_a_broker_that_cannot_take_the_task_costs_the_guess_not_the_answer(verdaccio, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: no broker
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.close()
    try:
        _proxy(verdaccio)
        _read(Client(), "to-regex-range")
    finally:
        celery_app.conf.broker_url = BROKER
        celery_app.close()
    assert _mirrored("to-regex-range")
    assert not _mirrored("is-number")
