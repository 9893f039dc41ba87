"""npm's package-name and dist-tag rules."""

import pytest

from formats.npm.names import name_errors, tag_error, tarball_filename, tarball_path


@pytest.mark.parametrize(
    "name", ["demo", "left-pad", "@acme/widget", "a.b_c-d", "events", "@a/b.c", "x" * 214]
)
def test_it_accepts_valid_names(name):
    assert name_errors(name) == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "greater than zero"),
        (".hidden", "period"),
        ("-dash", "hyphen"),
        ("_under", "underscore"),
        (" spaced", "leading or trailing spaces"),
        ("node_modules", "not a valid package name"),
        ("favicon.ico", "not a valid package name"),
        ("Capital", "capital letters"),
        ("x" * 215, "214"),
        ("bang!", "special characters"),
        ("sp ace", "URL-friendly"),
        ("@scope/with/slash", "URL-friendly"),
        ("@acme/.dot", "period"),
        ("caf\u00e9", "URL-friendly"),
        (None, "string"),
    ],
)
def test_it_rejects_invalid_names(name, reason):
    assert any(reason in error for error in name_errors(name))


def test_it_names_tarballs_without_the_scope():
    assert tarball_filename("@acme/widget", "1.0.0") == "widget-1.0.0.tgz"
    assert tarball_path("@acme/widget", "1.0.0") == "@acme/widget/-/widget-1.0.0.tgz"
    assert tarball_path("demo", "1.0.0") == "demo/-/demo-1.0.0.tgz"


@pytest.mark.parametrize("tag", ["latest", "beta", "next-2", "lts_v1"])
def test_it_accepts_tags(tag):
    assert tag_error(tag) is None


@pytest.mark.parametrize("tag", ["", "1.x", "v2", "=1.0.0", "a b", "x" * 129, 5])
def test_it_rejects_tags_that_look_like_versions_or_are_unsafe(tag):
    assert tag_error(tag) is not None
