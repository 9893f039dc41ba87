"""The UI partials: install lines, rendered readme, files, and client configuration."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from repository.formats import get_format
from repository.models import Package, Version
from tests.pypi.builders import make_wheel

REPO_URL = "http://larder.example/repository/py/"


def package_page(package) -> str:
    fmt = get_format("pypi")
    request = RequestFactory().get("/")
    versions = sorted(
        Version.objects.filter(package=package).prefetch_related("assets"),
        key=lambda v: fmt.version_key(v.version),
        reverse=True,
    )
    return render_to_string(
        fmt.package_template,
        {
            "repository": package.repository,
            "package": package,
            "versions": versions,
            "repository_url": REPO_URL,
            "format_context": fmt.package_context(request, package),
        },
    )


def test_it_shows_the_pip_and_uv_install_lines(repo, upload, wheel):
    upload(repo, wheel)
    page = package_page(Package.objects.get(name="tiny-pkg"))
    assert f"pip install --index-url {REPO_URL}simple/ Tiny-Pkg" in page
    assert f"uv add --index {REPO_URL}simple/ Tiny-Pkg" in page


def test_it_renders_the_latest_long_description_safely(repo, upload, wheel):
    upload(repo, wheel)
    evil = "# Two\n\n<script>alert(1)</script>\n"
    upload(repo, make_wheel("Tiny-Pkg", "2.0", description=evil))
    page = package_page(Package.objects.get(name="tiny-pkg"))
    assert "<h1>Two</h1>" in page
    assert "<script>" not in page


def test_it_shows_client_configuration_for_the_repository(repo):
    page = render_to_string(
        get_format("pypi").usage_template, {"repository": repo, "repository_url": REPO_URL}
    )
    assert f"index-url = {REPO_URL}simple/" in page
    assert f"repository = {REPO_URL}legacy/" in page
    assert "username = __token__" in page
    assert f"poetry source add --priority=primary py {REPO_URL}simple/" in page
    assert f'url = "{REPO_URL}simple/"' in page


def test_it_links_only_web_urls_from_project_metadata(repo, upload):
    extra = ("Project-URL: Home, https://example.test/", "Project-URL: Trap, javascript:alert(1)")
    upload(repo, make_wheel("Tiny-Pkg", "1.0", extra=extra))
    page = package_page(Package.objects.get(name="tiny-pkg"))
    assert '<a href="https://example.test/"' in page
    assert 'href="javascript:' not in page
