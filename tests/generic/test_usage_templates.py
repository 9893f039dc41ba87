"""The UI partials: a generic package's files with curl lines and checksums; client usage."""

import hashlib
from html import unescape

from django.template.loader import render_to_string
from django.test import RequestFactory

from repository.formats import get_format
from repository.models import Package


def package_page(repository, request, private: bool = False) -> str:
    generic = get_format("generic")
    package = Package.objects.get(repository=repository)
    return render_to_string(
        generic.package_template,
        {
            "repository": repository,
            "package": package,
            "versions": list(package.versions.all()),
            "repository_url": f"http://testserver/repository/{repository.name}/",
            "format_context": generic.package_context(request, package),
        },
    )


def test_it_shows_the_newest_version_files_with_curl_lines_and_checksums(layout_repo, put):
    put(layout_repo, "tool/1.9/tool.tgz", b"old")
    put(layout_repo, "tool/1.10/tool it's.tgz", b"new")
    request = RequestFactory().get("/")
    context = get_format("generic").package_context(request, Package.objects.get())
    assert context["latest"].version == "1.10"
    [file] = context["files"]
    assert file["sha256"] == hashlib.sha256(b"new").hexdigest()
    assert file["curl"] == (
        "curl -fL -o 'tool it'\"'\"'s.tgz' "
        "'http://testserver/repository/builds/tool/1.10/tool%20it'\"'\"'s.tgz'"
    )

    html = package_page(layout_repo, request)
    assert "tool/1.10/tool it&#x27;s.tgz" in html
    assert hashlib.sha256(b"new").hexdigest() in html
    assert hashlib.sha1(b"new").hexdigest() in html
    assert hashlib.md5(b"new").hexdigest() in html
    assert "sha256sum -c" in html
    assert "tool/1.9/" not in html


def test_it_adds_a_token_to_download_lines_of_a_private_repository(make_repository, put):
    private = make_repository(
        "private-builds", "generic", private=True, settings={"layout": "name/version/file"}
    )
    put(private, "tool/1.0/tool.tgz", b"x")
    html = unescape(package_page(private, RequestFactory().get("/")))
    assert 'curl -fL -u "__token__:$LARDER_TOKEN" -o tool.tgz' in html


def test_it_shows_upload_download_and_listing_lines_for_a_repository(repo):
    html = render_to_string(
        get_format("generic").usage_template,
        {"repository": repo, "repository_url": "https://larder.example/repository/files/"},
    )
    assert (
        "--upload-file app.tar.gz https://larder.example/repository/files/builds/app.tar.gz" in html
    )
    assert "X-Checksum-Sha256" in html
    assert "wget https://larder.example/repository/files/builds/app.tar.gz" in html
    assert "Accept: application/json" in html
    assert "409" in html  # immutable by default


def test_it_shows_layout_paths_and_read_tokens_where_they_apply(make_repository):
    repository = make_repository(
        "private-builds", "generic", private=True, settings={"layout": "name/version/file"}
    )
    html = render_to_string(
        get_format("generic").usage_template,
        {
            "repository": repository,
            "repository_url": "https://l.example/repository/private-builds/",
        },
    )
    assert "https://l.example/repository/private-builds/app/1.4.2/app-1.4.2.tar.gz" in html
    assert "&lt;name&gt;/&lt;version&gt;/&lt;file&gt;" in html
    assert 'wget --header "Authorization: Bearer $LARDER_TOKEN"' in unescape(html)
