"""Every example of docs/clients/python.md, run with pip, uv, Poetry and twine against Larder."""

import sys

import pytest
from django.test import Client

from repository.models import Asset, Repository
from tests.e2e.docs_examples import (
    Example,
    Sandbox,
    block_named,
    claimed_blocks,
    runnable,
)
from tests.generic.fixtures import fast_password_hashing  # noqa: F401 - tokens only
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import form_for

pytestmark = pytest.mark.e2e

DOCUMENT = "python.md"
UV_INDEX = '[[tool.uv.index]]\nname = "larder"'
PROJECT = """[project]
name = "docs-project"
version = "0.1.0"
requires-python = ">=3.11"
"""


@pytest.fixture
def docs(live, make_repository, deployer, reader, make_token, tmp_path, request) -> Sandbox:
    """A private PyPI repository `docs-py` holding tiny-pkg 1.0; YOUR_TOKEN is a reader's."""
    make_repository("docs-py", "pypi", private=True)
    response = Client().post(
        "/repository/docs-py/legacy/",
        form_for(make_wheel("Tiny-Pkg", "1.0")),
        HTTP_AUTHORIZATION=f"Bearer {make_token(deployer)}",
    )
    assert response.status_code == 200, response.content
    sandbox = Sandbox(
        live,
        tmp_path,
        request.getfixturevalue,
        values={"NAME": "docs-py", "PACKAGE": "tiny-pkg", "YOUR_TOKEN": make_token(reader)},
    )
    sandbox.env["UV_PYTHON"] = sys.executable
    return sandbox


def public(sandbox: Sandbox) -> None:
    Repository.objects.filter(name="docs-py").update(anonymous_read=True)


def as_deployer(sandbox: Sandbox) -> None:
    make_token = sandbox.fixture("make_token")
    sandbox.values["YOUR_TOKEN"] = make_token(sandbox.fixture("deployer"))


def built(sandbox: Sandbox, version: str) -> None:
    """A wheel of tiny-pkg in ./dist/, as a build leaves it."""
    wheel = make_wheel("Tiny-Pkg", version)
    (sandbox.cwd / "dist").mkdir(exist_ok=True)
    (sandbox.cwd / "dist" / wheel.filename).write_bytes(wheel.data)


def uploaded(filename: str) -> bool:
    return Asset.objects.filter(repository__name="docs-py", filename=filename).exists()


def imports_tiny_pkg(sandbox: Sandbox, python: str = "python") -> None:
    code = "import tiny_pkg; print(tiny_pkg.VERSION)"
    assert sandbox.sh(f'{python} -c "{code}"').stdout == "1.0\n"


def check_pip_install(sandbox, block):
    public(sandbox)
    sandbox.with_python()
    sandbox.sh(block.text)
    imports_tiny_pkg(sandbox)


def check_pip_conf(sandbox, block):
    public(sandbox)
    sandbox.with_python()
    sandbox.write("~/.config/pip/pip.conf", block.text)
    del sandbox.env["PIP_CONFIG_FILE"]
    sandbox.sh("pip install PACKAGE")
    imports_tiny_pkg(sandbox)


def check_pip_token_in_url(sandbox, block):
    sandbox.with_python()
    sandbox.sh(block.text)
    imports_tiny_pkg(sandbox)


def check_netrc(sandbox, block):
    """netrc names hosts without their port."""
    sandbox.with_python()
    sandbox.write("~/.netrc", block.text.replace("larder.example", "127.0.0.1"))
    sandbox.sh("pip install --index-url https://larder.example/repository/NAME/simple/ PACKAGE")
    imports_tiny_pkg(sandbox)


def check_uv(sandbox, block):
    public(sandbox)
    sandbox.write("pyproject.toml", PROJECT)
    sandbox.sh(block.text)
    imports_tiny_pkg(sandbox, ".venv/bin/python")


def check_uv_index(sandbox, block):
    public(sandbox)
    sandbox.write("pyproject.toml", PROJECT + "\n" + block.text)
    sandbox.sh("uv add PACKAGE")
    imports_tiny_pkg(sandbox, ".venv/bin/python")


def check_uv_credentials(sandbox, block):
    index = block_named(DOCUMENT, EXAMPLES, UV_INDEX)
    sandbox.write("pyproject.toml", PROJECT + "\n" + index.text)
    sandbox.sh(block.text + "\nuv add PACKAGE")
    imports_tiny_pkg(sandbox, ".venv/bin/python")


def check_uv_publish(sandbox, block):
    as_deployer(sandbox)
    built(sandbox, "2.0")
    sandbox.sh(block.text)
    assert uploaded("tiny_pkg-2.0-py3-none-any.whl")


def check_poetry_source(sandbox, block):
    sandbox.write("pyproject.toml", PROJECT)
    sandbox.sh(block.text + "\npoetry add --lock PACKAGE")
    lock = (sandbox.cwd / "poetry.lock").read_text()
    assert 'name = "tiny-pkg"' in lock and 'version = "1.0"' in lock
    assert sandbox.fill("https://larder.example/repository/NAME/simple") in lock


def check_poetry_publish(sandbox, block):
    as_deployer(sandbox)
    sandbox.write(
        "pyproject.toml",
        PROJECT.replace("docs-project", "docs-poetry-demo")
        + '\n[build-system]\nrequires = ["poetry-core>=2"]\n'
        'build-backend = "poetry.core.masonry.api"\n',
    )
    sandbox.write("docs_poetry_demo/__init__.py", "")
    sandbox.sh(block.text)
    assert uploaded("docs_poetry_demo-0.1.0-py3-none-any.whl")
    assert uploaded("docs_poetry_demo-0.1.0.tar.gz")


def check_twine(sandbox, block):
    as_deployer(sandbox)
    built(sandbox, "3.0")
    sandbox.sh(block.text)
    assert uploaded("tiny_pkg-3.0-py3-none-any.whl")


def check_pypirc(sandbox, block):
    as_deployer(sandbox)
    built(sandbox, "4.0")
    sandbox.write("~/.pypirc", block.text)
    sandbox.sh("twine upload --repository larder dist/*")
    assert uploaded("tiny_pkg-4.0-py3-none-any.whl")


EXAMPLES = [
    Example("pip install --index-url https://larder.example/", check_pip_install),
    Example("[global]\nindex-url", check_pip_conf),
    Example("pip install --index-url https://__token__:YOUR_TOKEN@", check_pip_token_in_url),
    Example("machine larder.example", check_netrc),
    Example(UV_INDEX, check_uv_index),
    Example("uv add --index", check_uv),
    Example("export UV_INDEX_LARDER_USERNAME", check_uv_credentials),
    Example("uv publish", check_uv_publish),
    Example("poetry source add", check_poetry_source),
    Example("poetry publish --build", check_poetry_publish),
    Example("twine upload --repository-url", check_twine),
    Example("[distutils]", check_pypirc),
]


def test_every_example_has_a_check():
    claimed_blocks(DOCUMENT, EXAMPLES)


@pytest.mark.parametrize("example", runnable(EXAMPLES), ids=lambda e: e.check.__name__)
def test_the_example_works(example, docs):
    example.check(docs, block_named(DOCUMENT, EXAMPLES, example.fragment))
