"""Exempting a package from the cooldown brings its held-back versions in at once, even
from an upstream whose document has not changed since (no conditional request then)."""

from django.test import Client

from repository.models import AuditEvent, Version
from repository.services.proxies import set_cooldown_exemption
from tests.proxy.helpers import cooled_proxy


def test_an_exemption_mirrors_the_held_back_versions_asking_unconditionally(db, pypiserver):
    repository = cooled_proxy(pypiserver.index_url)
    pypiserver.front.fault(path="/simple/six/", headers=(("ETag", '"six-v1"'),))
    assert Client().get("/repository/cooled/simple/six/").status_code == 200
    assert not Version.objects.filter(package__repository=repository).exists()

    assert set_cooldown_exemption(repository, "six", exempt=True) is True
    *_, refresh = pypiserver.front.headers("/simple/six/")
    assert "If-None-Match" not in refresh
    versions = Version.objects.filter(package__repository=repository)
    assert sorted(versions.values_list("version", flat=True)) == ["1.16.0", "1.17.0"]
    assert AuditEvent.objects.filter(action="repository.update", target="cooled").exists()


def test_an_exemption_says_when_the_upstream_could_not_be_asked(db, pypiserver):
    repository = cooled_proxy(pypiserver.index_url)
    assert Client().get("/repository/cooled/simple/six/").status_code == 200
    pypiserver.front.fault(status=503)
    assert set_cooldown_exemption(repository, "six", exempt=True) is False
    repository.refresh_from_db()
    assert repository.settings["proxy"]["cooldown_exempt"] == ["six"]
