"""UI fixtures: packages, versions and files created straight with the ORM."""

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from repository import formats
from repository.models import Asset, Blob, Package, Version
from tests.conftest import PASSWORD
from tests.retention.fixtures import policy, publish, tag

__all__ = ["policy", "publish", "tag"]

TEMPLATES_DIR = Path(__file__).parent / "templates"


def blob_for(content: bytes) -> Blob:
    """A Blob row for these bytes (the UI reads rows only, never the stored bytes)."""
    sha256 = hashlib.sha256(content).hexdigest()
    blob, _ = Blob.objects.get_or_create(
        sha256=sha256,
        defaults={
            "size": len(content),
            "md5": hashlib.md5(content).hexdigest(),
            "sha1": hashlib.sha1(content).hexdigest(),
            "sha512": hashlib.sha512(content).hexdigest(),
            "blake2b_256": hashlib.blake2b(content, digest_size=32).hexdigest(),
        },
    )
    return blob


def add_version(package: Package, version: str, *filenames: str, **fields) -> Version:
    """A version with one file per filename (content: the filename's bytes)."""
    row = Version.objects.create(package=package, version=version, **fields)
    prefix = package.name
    for filename in filenames:
        Asset.objects.create(
            repository=package.repository,
            path=f"{prefix}/{filename}",
            package=package,
            version=row,
            blob=blob_for(filename.encode()),
            filename=filename,
        )
    return row


def add_package(repository, display_name: str, *versions: str) -> Package:
    fmt = formats.get_format(repository.format)
    package = Package.objects.create(
        repository=repository, name=fmt.normalize_name(display_name), display_name=display_name
    )
    for version in versions:
        add_version(package, version, f"{package.name}-{version}.tar.gz")
    return package


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[list[str]]:
    """The text of each body row's cells, whitespace collapsed (header rows are skipped)."""
    parser = _Cells()
    parser.feed(response.content.decode())
    return [row for row in parser.rows if row]


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client: Client, url: str, data: dict, page_url: str = "/ui/tokens/"):
    """A form POST carrying a page's CSRF token, as a browser sends it."""
    page = client.get(page_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


class PlainFormat(formats.Format):
    """A format whose partials live in tests/ui/templates (or are missing, when told)."""

    name = "uitest"
    label = "UI Test"
    urlconf = "formats.generic.urls"

    def __init__(self, *, with_partials: bool) -> None:
        if with_partials:
            self.package_template = "uitest/package.html"
            self.usage_template = "uitest/usage.html"
        else:
            self.package_template = "uitest/missing-package.html"
            self.usage_template = "uitest/missing-usage.html"

    def normalize_name(self, name: str) -> str:
        return name.lower()

    def version_key(self, version: str):
        return tuple(int(part) for part in version.split("."))

    def package_context(self, request, package) -> dict:
        return {"greeting": f"hello from {package.display_name}"}


@pytest.fixture
def partial_templates(settings):
    """Let the template loader find tests/ui/templates, as a format app's folder would."""
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = [engine]


@pytest.fixture
def plain_format(monkeypatch, partial_templates):
    fmt = PlainFormat(with_partials=True)
    monkeypatch.setitem(formats._registry, fmt.name, fmt)
    return fmt


@pytest.fixture
def partial_less_format(monkeypatch):
    fmt = PlainFormat(with_partials=False)
    monkeypatch.setitem(formats._registry, fmt.name, fmt)
    return fmt
