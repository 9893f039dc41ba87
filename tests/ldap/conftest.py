"""LDAP fixtures: one real slapd per test session, and Larder's settings pointed at it."""

import pytest

from repository.access.ldapconfig import configure
from tests.access.conftest import call, probe_format  # noqa: F401 - fixtures
from tests.ldap.directory import Directory, start_directory


@pytest.fixture(scope="session")
def directory(tmp_path_factory) -> Directory:
    process, found = start_directory(tmp_path_factory.mktemp("slapd"))
    yield found
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def ldap_settings(db, directory, settings, monkeypatch):
    """This process's settings as LARDER_LDAP_* pointing at the directory would make them."""
    for name, value in directory.settings_env().items():
        monkeypatch.setenv(name, value)
    for name, value in configure().items():
        setattr(settings, name, value)
    settings.LARDER_LDAP_RECHECK_SECONDS = 0
    settings.AUTHENTICATION_BACKENDS = [
        "repository.access.backends.LocalPasswordBackend",
        "repository.access.ldapbackend.DirectoryBackend",
    ]
    return directory


@pytest.fixture
def restore_membership(directory):
    """Undo a test's changes to group membership, for the next test of the session."""
    changes: list[tuple[str, str]] = []
    yield changes
    for group, user in changes:
        directory.add_member(group, user)
