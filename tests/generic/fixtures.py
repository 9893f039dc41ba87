"""Fixtures the generic unit and end-to-end tests share (imported where they apply)."""

import pytest

from tests.conftest import FAST_PASSWORD_HASHERS
from tests.generic.curl import Curl


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made per test and PBKDF2 takes most of a second.

    The live server keeps its own (slow, real) hashers, so end-to-end tests that import this
    authenticate with API tokens, as CI scripts should.
    """
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(name="curl")
def curl_fixture(tmp_path) -> Curl:
    """The real curl, for end-to-end tests (they import this fixture)."""
    return Curl(tmp_path / "curl")


@pytest.fixture(name="deployer_auth")
def deployer_auth_fixture(deployer, make_token) -> str:
    """`curl -u` credentials: the deployer's API token (`__token__` stands for any user)."""
    return f"__token__:{make_token(deployer)}"


@pytest.fixture(name="maintainer_auth")
def maintainer_auth_fixture(maintainer, make_token) -> str:
    """`curl -u` credentials of the maintainer, who may also delete."""
    return f"__token__:{make_token(maintainer)}"


@pytest.fixture(name="reader_auth")
def reader_auth_fixture(reader, make_token) -> str:
    return f"__token__:{make_token(reader, readonly=True)}"
