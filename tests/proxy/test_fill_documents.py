"""What a file's first download does to its package's documents: rendered anew only when
the stored file tells them something the upstream did not publish. A cold npm install
fills every tarball it resolved; re-rendering each packument then cost the worker's CPU
and the next reader a render, for a document that did not change."""

from urllib.parse import urljoin

import pytest
from django.test import Client

from repository.models import Asset, Package, RenderedDocument
from repository.services.repositories import create_repository

pytestmark = pytest.mark.django_db(transaction=True)

ABBREVIATED = "application/vnd.npm.install-v1+json"


def test_a_filled_npm_tarball_leaves_the_packument_as_rendered(verdaccio):
    create_repository(
        "npm-proxy", "npm", kind="proxy", settings={"proxy": {"upstream": verdaccio.registry}}
    )
    client = Client()
    first = client.get("/repository/npm-proxy/is-number", HTTP_ACCEPT=ABBREVIATED)
    assert first.status_code == 200  # answered from the upstream's document, then stored
    before = client.get("/repository/npm-proxy/is-number", HTTP_ACCEPT=ABBREVIATED)
    assert before.status_code == 200  # rendered from the rows, and kept
    package = Package.objects.get(repository__name="npm-proxy", name="is-number")
    rendered = set(RenderedDocument.objects.filter(package=package).values_list("pk", flat=True))
    assert rendered

    tarball = client.get("/repository/npm-proxy/is-number/-/is-number-7.0.0.tgz")
    assert tarball.status_code == 200
    assert b"".join(tarball.streaming_content)
    assert Asset.objects.get(path="is-number/-/is-number-7.0.0.tgz").blob_id is not None

    assert Package.objects.get(pk=package.pk).generation == package.generation
    assert rendered <= set(
        RenderedDocument.objects.filter(package=package).values_list("pk", flat=True)
    )
    after = client.get("/repository/npm-proxy/is-number", HTTP_ACCEPT=ABBREVIATED)
    assert after.content == before.content


def test_a_filled_wheel_whose_page_lacked_its_size_renders_the_page_anew(pypiserver):
    # pypiserver's PEP 503 page gives each file's sha256 but not its size (PEP 700).
    create_repository(
        "py-proxy",
        "pypi",
        kind="proxy",
        settings={"proxy": {"upstream": pypiserver.index_url}},
    )
    client = Client()
    page = client.get("/repository/py-proxy/simple/six/?format=json").json()
    assert all(file.get("size") is None for file in page["files"])
    wheel = page["files"][0]
    download = client.get(urljoin("/repository/py-proxy/simple/six/", wheel["url"]))
    assert download.status_code == 200
    size = len(b"".join(download.streaming_content))

    page = client.get("/repository/py-proxy/simple/six/?format=json").json()
    sizes = {file["filename"]: file.get("size") for file in page["files"]}
    assert sizes[wheel["filename"]] == size
