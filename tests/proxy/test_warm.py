"""The warm's walk (repository/proxy/warm.py) against a real pypiserver: what an item that
cannot be warmed says, a file failing its digest cached nowhere, a task run again resuming
after the last item it did."""

import pytest

from repository.models import Asset, Package, Repository
from repository.proxy import warm
from tests.proxy.helpers import pypi_proxy

SIX_WHEEL = "six-1.17.0-py2.py3-none-any.whl"
IDNA_WHEEL = "idna-3.10-py3-none-any.whl"


def cached() -> set[str]:
    found = Asset.objects.filter(blob__isnull=False)
    return set(found.values_list("filename", flat=True))


def walked(repository, *items) -> warm.Warm:
    return warm.run(warm.record(repository, list(items)).id)


@pytest.mark.django_db
def test_a_run_again_resumes_after_the_last_item_done(pypiserver):
    repository = pypi_proxy("py-proxy", pypiserver.index_url)
    started = warm.record(repository, [("six", "1.17.0"), ("idna", "3.10")])
    started.items_done = 1  # a worker died after the first item
    warm._save(started)
    done = warm.run(started.id)
    assert (done.status, done.items_done, done.files_fetched) == ("finished", 2, 1)
    assert cached() == {IDNA_WHEEL}
    assert pypiserver.front.requests("/simple/six/") == 0
    assert warm.run(started.id).finished == done.finished  # over: left alone


@pytest.mark.django_db
def test_a_file_failing_its_digest_is_an_error_and_not_cached(pypiserver):
    repository = pypi_proxy("py-proxy", pypiserver.index_url)
    pypiserver.front.fault(path=f"*/{SIX_WHEEL}", corrupt=True)
    done = walked(repository, ("six", "1.17.0"), ("idna", "3.10"))
    (error,) = done.errors
    assert error.startswith(f"six 1.17.0: {SIX_WHEEL}: sha256 ")
    assert error.endswith(
        " where the index said " + Asset.objects.get(filename=SIX_WHEEL).upstream["sha256"]
    )
    assert cached() == {IDNA_WHEEL}


@pytest.mark.django_db
def test_rules_and_cooldown_are_kept(pypiserver):
    repository = pypi_proxy("py-proxy", pypiserver.index_url, deny=["idna"], cooldown_days=30)
    # Fetched once before 1.17.0 appeared upstream: that one is new, so held back.
    seen = {"first_seen": {"1.16.0": "2020-01-01T00:00:00+00:00"}}
    Package.objects.create(
        repository=repository, name="six", display_name="six", metadata={"proxy": seen}
    )
    done = walked(repository, ("six", "1.17.0"), ("idna", "3.10"))
    assert done.errors == [
        "six 1.17.0: held back by the cooldown",
        "idna 3.10: the proxy's name rules never ask the upstream for it",
    ]
    assert pypiserver.front.requests("/simple/idna/") == 0
    assert not cached()


@pytest.mark.django_db
def test_a_repository_no_longer_a_proxy_fails_the_warm(pypiserver):
    repository = pypi_proxy("py-proxy", pypiserver.index_url)
    started = warm.record(repository, [("six", "1.17.0")])
    Repository.objects.filter(pk=repository.pk).delete()
    done = warm.run(started.id)
    assert (done.status, done.errors) == (
        "failed",
        ["the warm stopped: py-proxy is no longer a proxy repository"],
    )
