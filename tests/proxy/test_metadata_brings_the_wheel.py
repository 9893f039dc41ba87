"""A wheel's PEP 658 metadata read by ranges from an upstream without `.metadata` files:
when the first range read brings the whole (small) wheel, it is kept as the cached file,
so the download that follows a resolve is served from the cache, not fetched again. Real
pypiserver, behind a counting front."""

import logging

import pytest
from django.test import Client

from repository.models import Asset
from tests.proxy.helpers import pypi_proxy

pytestmark = pytest.mark.django_db(transaction=True)

SIX_WHEEL = "six-1.17.0-py2.py3-none-any.whl"
UPSTREAM_PATH = f"*/{SIX_WHEEL}"


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def metadata_then_wheel(client: Client) -> tuple[bytes, bytes]:
    page = client.get("/repository/py-proxy/simple/six/")
    assert page.status_code == 200
    wheel = Asset.objects.get(repository__name="py-proxy", filename=SIX_WHEEL)
    metadata = client.get(f"/repository/py-proxy/{wheel.path}.metadata")
    assert metadata.status_code == 200
    body = client.get(f"/repository/py-proxy/{wheel.path}")
    assert body.status_code == 200
    return read(metadata), read(body)


def test_a_small_wheel_brought_whole_by_its_metadata_read_is_kept(pypiserver, upstream_packages):
    pypi_proxy("py-proxy", pypiserver.index_url)
    metadata, wheel = metadata_then_wheel(Client())
    assert metadata.startswith(b"Metadata-Version: ")
    assert wheel == upstream_packages.python_file(SIX_WHEEL).read_bytes()
    # One request reached the upstream for the wheel: the metadata's range read.
    assert pypiserver.front.requests(UPSTREAM_PATH) == 1
    assert pypiserver.front.ranges(UPSTREAM_PATH)
    assert Asset.objects.get(filename=SIX_WHEEL).cached


def test_a_wheel_brought_whole_but_not_what_the_index_promised_is_not_kept(
    pypiserver, upstream_packages, caplog
):
    pypi_proxy("py-proxy", pypiserver.index_url)
    # The first byte flipped: the zip's directory and METADATA still read, the sha256 not.
    pypiserver.front.fault(path=UPSTREAM_PATH, corrupt=True, times=1)
    client = Client()
    client.get("/repository/py-proxy/simple/six/")
    wheel = Asset.objects.get(repository__name="py-proxy", filename=SIX_WHEEL)
    with caplog.at_level(logging.ERROR, logger="larder.proxy"):
        metadata = client.get(f"/repository/py-proxy/{wheel.path}.metadata")
    assert metadata.status_code == 200
    assert not Asset.objects.get(pk=wheel.pk).cached
    assert any("refused: sha256" in record.getMessage() for record in caplog.records)
    # The download fetches the file itself, verified.
    body = client.get(f"/repository/py-proxy/{wheel.path}")
    assert read(body) == upstream_packages.python_file(SIX_WHEEL).read_bytes()
    assert pypiserver.front.requests(UPSTREAM_PATH) == 2
