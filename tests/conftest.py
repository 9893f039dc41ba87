"""Shared fixtures: users with clear roles, repositories, tokens, an HTTP client with auth.

Roles, as in every test: `admin` is a superuser; `maintainer` may also delete, unpublish,
deprecate and move any tag where granted; `deployer` may publish to repositories granted to
them; `reader` may only read them; `outsider` has an account and no grants.
"""

import base64
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from repository import celery_app
from repository.access.tokens import create_token
from repository.cache import rows
from repository.models import Repository, RepositoryRole, Role
from repository.proxy.settings import clean_proxy_settings
from repository.redisclient import redis_client
from repository.serving import blob_response
from tests.services import redis_url

# The real upstream registries (pypiserver, devpi, Verdaccio, static files) for proxy tests.
pytest_plugins = ["tests.upstreams.fixtures"]

# Each xdist worker has its own database, so its own blob folder too: content-addressed
# files shared between workers were deleted by one worker's garbage collection while the
# other's rows still pointed at them (same bytes, same path).
if os.environ.get("PYTEST_XDIST_WORKER"):
    django_settings.LARDER_BLOB_DIR = Path(
        f"{django_settings.LARDER_BLOB_DIR}-{os.environ['PYTEST_XDIST_WORKER']}"
    )

PASSWORD = "correct horse battery staple"
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LIVE_SERVER_FIXTURES = frozenset({"live", "live_server_process", "start_live_server"})


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Users are made per test and PBKDF2 costs most of a second each.

    Tests against the live server keep real hashing: it checks passwords with the
    production hashers. (Token-only e2e modules may import a fast variant.)
    """
    if not LIVE_SERVER_FIXTURES.intersection(request.fixturenames):
        settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def redis_as_in_production(settings):
    """Production's hot paths: rows kept per process, checked against stamps in Redis, so
    every test that writes and then reads also proves the write told the readers.

    Download counts go to Redis at once; tests read them after flush_download_counts().
    """
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    settings.REDIS_URL = redis_url(5 + worker)
    # Stamp files (the embedded default's, when a test unsets REDIS_URL) per worker too.
    settings.DATA_DIR = Path(f"{settings.DATA_DIR}-{worker}")
    settings.LARDER_DOWNLOAD_COUNT_SECONDS = 0
    redis_client().flushdb()
    rows.clear()
    yield
    rows.clear()


@pytest.fixture
def eager_tasks():
    """Celery tasks run in this process the moment they are queued (a worker's part, done
    here), for tests of what queues them; a test with `transactional_db` sees on_commit
    queueing happen at once."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def make_user(db):
    def make(username: str, *, superuser: bool = False):
        User = get_user_model()
        if superuser:
            return User.objects.create_superuser(username, f"{username}@example.test", PASSWORD)
        return User.objects.create_user(username, f"{username}@example.test", PASSWORD)

    return make


@pytest.fixture
def admin(make_user):
    return make_user("admin", superuser=True)


@pytest.fixture
def deployer(make_user):
    return make_user("deployer")


@pytest.fixture
def maintainer(make_user):
    return make_user("maintainer")


@pytest.fixture
def reader(make_user):
    return make_user("reader")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def make_repository(request, db, deployer, reader):
    """A repository on which `deployer` and `reader` hold their roles, and `maintainer`
    too when the test names that fixture (users cost a real password hash in e2e tests)."""
    maintainer = (
        request.getfixturevalue("maintainer") if "maintainer" in request.fixturenames else None
    )

    def make(name: str, fmt: str, *, private: bool = False, **fields) -> Repository:
        if fields.get("kind") == Repository.Kind.PROXY and "settings" not in fields:
            # Rows a test writes itself, served as cached; no upstream is ever asked.
            offline = {"upstream": "http://upstream.invalid/", "offline": True}
            fields["settings"] = {"proxy": clean_proxy_settings(offline)}
        repository = Repository.objects.create(
            name=name, format=fmt, anonymous_read=not private, **fields
        )
        if maintainer is not None:
            RepositoryRole.objects.create(
                user=maintainer, repository=repository, role=Role.MAINTAINER
            )
        RepositoryRole.objects.create(user=deployer, repository=repository, role=Role.DEPLOYER)
        RepositoryRole.objects.create(user=reader, repository=repository, role=Role.READER)
        return repository

    return make


@pytest.fixture
def make_token(db):
    def make(user, **options) -> str:
        _, plain = create_token(user, **options)
        return plain

    return make


def serve_blob(blob, method: str = "GET", **headers):
    """blob_response() to a bare request, as a format's download view calls it:
    (response, the body it streams)."""
    request = RequestFactory().generic(method, "/demo-1.0.tar.gz", **headers)
    response = blob_response(
        request,
        blob,
        filename="demo-1.0.tar.gz",
        content_type="application/gzip",
        last_modified=timezone.now(),
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body
