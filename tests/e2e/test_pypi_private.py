"""A private PyPI repository: clients need a token to install; twine publishes to `legacy`."""

import pytest

from tests.conftest import PASSWORD
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


def test_it_requires_a_token_to_install_from_a_private_repository(
    live, make_repository, reader, make_token, tmp_path
):
    clients = Clients(tmp_path)
    make_repository("py-private", "pypi", private=True)
    wheel = clients.write(make_wheel("Secret-Pkg", "1.0"))
    # No trailing slash: twine must not be redirected; a password works like a token.
    clients.twine_upload(live.repo_url("py-private") + "legacy", "deployer", PASSWORD, wheel)

    index = live.repo_url("py-private") + "simple/"
    anonymous = clients.pip_install(index, "secret-pkg", tmp_path / "anonymous", check=False)
    assert anonymous.returncode != 0
    assert "401" in anonymous.stdout + anonymous.stderr

    token = make_token(reader, readonly=True)
    with_token = index.replace("http://", f"http://__token__:{token}@")
    clients.pip_install(with_token, "secret-pkg", tmp_path / "with-token")
    assert (tmp_path / "with-token" / "secret_pkg" / "__init__.py").is_file()
