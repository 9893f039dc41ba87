"""The UI partials: how to configure clients, and what a package page shows."""

import re
from html import unescape

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from repository.formats import get_format
from repository.models import Package, Version

URL = "http://npm.example.test/repository/npm-hosted/"


def package_page(package) -> str:
    fmt = get_format("npm")
    request = RequestFactory().get("/")
    return render_to_string(
        fmt.package_template,
        {
            "repository": package.repository,
            "package": package,
            "versions": list(package.versions.all()),
            "repository_url": URL,
            "format_context": fmt.package_context(request, package),
        },
    )


def test_it_shows_install_lines_tags_dependencies_and_readme(publish):
    publish(
        "@acme/widget",
        "1.0.0",
        {"description": "a widget", "dependencies": {"left-pad": "^1.3.0"}},
        files={"package/README.md": b"# Widget\n\n<script>alert(1)</script>\n\n**bold**"},
    )
    publish("@acme/widget", "2.0.0-rc.1", tags={"next": "2.0.0-rc.1"})
    html = package_page(Package.objects.get())
    assert "npm install @acme/widget" in html
    assert f"@acme:registry={URL}" in html
    assert "//npm.example.test/repository/npm-hosted/:_authToken=" in html
    assert "<td>next</td><td>2.0.0-rc.1</td>" in html
    assert "left-pad" in html and "^1.3.0" in html
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_it_shows_deprecation(publish):
    publish("demo", "1.0.0")
    Version.objects.update(deprecated="use something else")
    html = package_page(Package.objects.get())
    assert "Deprecated" in html and "use something else" in html
    assert f"registry={URL}" in html


def test_it_configures_npm_yarn_and_pnpm_for_a_repository(npm_repository):
    html = render_to_string(
        get_format("npm").usage_template, {"repository": npm_repository, "repository_url": URL}
    )
    assert f"registry={URL}" in html
    assert "//npm.example.test/repository/npm-hosted/:_authToken=" in html
    assert f"@yourscope:registry={URL}" in html
    assert "always-auth=true" in html
    assert f'npmRegistryServer: "{URL}"' in html
    assert "npmAlwaysAuth: true" in html
    assert "npmAuthToken:" in html
    assert '- "npm.example.test"' in html
    assert "pnpm" in html


def usage_page(repository) -> str:
    return render_to_string(
        get_format("npm").usage_template, {"repository": repository, "repository_url": URL}
    )


def snippet(html: str, name: str) -> str:
    """The text of the `<pre data-snippet="name">` block, as a reader copies it."""
    match = re.search(rf'<pre data-snippet="{name}"><code>(.*?)</code></pre>', html, re.S)
    assert match, f"no {name} snippet"
    return unescape(match.group(1))


def test_it_turns_yarn_4s_age_gate_off_for_this_registry(npm_repository):
    """Yarn 4 quarantines versions younger than a day (npmMinimalAgeGate): packages just
    published here would not install."""
    html = usage_page(npm_repository)
    assert "npmMinimalAgeGate: 0" in snippet(html, "yarn-berry").splitlines()
    assert "    npmMinimalAgeGate: 0" in snippet(html, "yarn-berry-scope").splitlines()
    assert snippet(html, "yarn-berry-preapproved") == 'npmPreapprovedPackages:\n  - "@yourscope/*"'


def test_it_says_where_tokens_come_from_today(npm_repository):
    html = usage_page(npm_repository)
    assert "account page" not in html
    assert "<code>npm token create</code>" in html
    assert "<code>POST /api/v1/tokens/</code>" in html
    assert "<code>larder token create</code>" in html


def test_it_fits_into_the_ui_pages(client, publish):
    publish("@acme/widget", "1.0.0", files={"package/README.md": b"# Widget readme"})
    page = client.get(reverse("ui:package-detail", args=["npm-hosted", "@acme/widget"]))
    assert page.status_code == 200
    assert "npm install @acme/widget" in page.content.decode()
    assert "Widget readme" in page.content.decode()
    listing = client.get(reverse("ui:repository-detail", args=["npm-hosted"]))
    assert "npmAlwaysAuth: true" in listing.content.decode()
