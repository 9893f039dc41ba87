"""settings.proxy: checked with messages a person can act on, defaults filled in, and the
upstream credentials write-only."""

import pytest
from packaging.utils import canonicalize_name

from repository.proxy.settings import (
    DEFAULTS,
    Credentials,
    clean_proxy_settings,
    proxy_settings,
    public_proxy_settings,
)

UPSTREAM = "https://upstream.example/simple/"


def test_it_fills_in_the_documented_defaults():
    cleaned = clean_proxy_settings({"upstream": UPSTREAM})
    assert cleaned == {"upstream": UPSTREAM, "auth": None, **DEFAULTS}
    typed = proxy_settings(cleaned)
    assert (typed.metadata_ttl, typed.negative_ttl) == (600, 60)
    assert typed.content_ttl is None  # generic files are immutable once fetched
    assert typed.follow_deletions is False
    assert typed.read_ahead is False
    assert typed.upstream_host == "upstream.example"


def test_it_adds_the_trailing_slash_urls_are_joined_on():
    assert clean_proxy_settings({"upstream": "http://10.0.0.5:8080/npm"})["upstream"] == (
        "http://10.0.0.5:8080/npm/"
    )


@pytest.mark.parametrize(
    ("upstream", "message"),
    [
        (None, "upstream is required"),
        ("", "upstream is required"),
        ("ftp://upstream.example/", "must start with http:// or https://"),
        ("file:///etc/passwd", "must start with http:// or https://"),
        ("https:///simple/", "no host name"),
        ("https://ci:s3cret@upstream.example/", "not in the URL"),
        ("https://upstream.example/?token=x", "no query string"),
        ("https://upstream.example:99999/", "invalid port"),
    ],
)
def test_it_refuses_bad_upstream_urls(upstream, message):
    with pytest.raises(ValueError, match=message):
        clean_proxy_settings({"upstream": upstream})


def test_a_refused_url_with_credentials_does_not_repeat_them():
    with pytest.raises(ValueError) as caught:
        clean_proxy_settings({"upstream": "https://ci:s3cret@upstream.example/"})
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("metadata_ttl", -1, "metadata_ttl must be a whole number >= 0"),
        ("metadata_ttl", "600", "metadata_ttl must be a whole number"),
        ("negative_ttl", True, "negative_ttl must be a whole number"),
        ("cooldown_days", 1.5, "cooldown_days must be a whole number"),
        ("max_file_bytes", 0, "max_file_bytes must be a whole number >= 1 or null"),
        ("content_ttl", -5, "content_ttl must be a whole number >= 0 or null"),
        ("breaker_threshold", 0, "breaker_threshold must be a whole number >= 1"),
        ("breaker_open_seconds", 0, "breaker_open_seconds must be a whole number >= 1"),
        ("connect_timeout", 0, "connect_timeout must be above 0 and at most 600"),
        ("read_timeout", 3600, "read_timeout must be above 0 and at most 600"),
        ("read_timeout", "30", "read_timeout must be a number of seconds"),
        ("offline", "yes", "offline must be true or false"),
        ("follow_deletions", 1, "follow_deletions must be true or false"),
        ("read_ahead", "off", "read_ahead must be true or false"),
        ("allow", "@corp/*", "allow must be a list of name patterns"),
        ("deny", ["ok", ""], "deny must be a list of name patterns"),
    ],
)
def test_it_refuses_bad_values_naming_the_setting(key, value, message):
    with pytest.raises(ValueError, match=message):
        clean_proxy_settings({"upstream": UPSTREAM, key: value})


def test_it_refuses_unknown_settings_and_names_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown proxy setting\(s\): ttl; known: allow, auth"):
        clean_proxy_settings({"upstream": UPSTREAM, "ttl": 5})


def test_it_takes_basic_or_bearer_credentials_and_nothing_half_given():
    basic = clean_proxy_settings(
        {"upstream": UPSTREAM, "auth": {"username": "ci", "password": "s3cret"}}
    )
    assert proxy_settings(basic).credentials.header() == "Basic Y2k6czNjcmV0"
    bearer = clean_proxy_settings({"upstream": UPSTREAM, "auth": {"token": "t0ken"}})
    assert proxy_settings(bearer).credentials.header() == "Bearer t0ken"
    for auth in (
        {"username": "ci"},
        {"username": "ci", "password": ""},
        {"token": "t", "username": "ci"},
        "ci:s3cret",
    ):
        with pytest.raises(ValueError, match=r"settings\.proxy\.auth"):
            clean_proxy_settings({"upstream": UPSTREAM, "auth": auth})
    with pytest.raises(ValueError, match="cannot contain ':'"):
        clean_proxy_settings({"upstream": UPSTREAM, "auth": {"username": "a:b", "password": "c"}})


def test_credentials_are_never_shown_nor_in_a_repr():
    stored = clean_proxy_settings(
        {"upstream": UPSTREAM, "auth": {"username": "ci", "password": "s3cret"}}
    )
    shown = public_proxy_settings(stored)
    assert shown["auth"] == {"type": "basic"}
    assert "s3cret" not in repr(shown)
    typed = proxy_settings(stored)
    assert "s3cret" not in repr(typed)
    assert "t0ken" not in repr(Credentials(token="t0ken"))
    bearer = clean_proxy_settings({"upstream": UPSTREAM, "auth": {"token": "t0ken"}})
    assert public_proxy_settings(bearer)["auth"] == {"type": "bearer"}


def test_an_update_keeps_stored_credentials_unless_it_replaces_or_removes_them():
    current = clean_proxy_settings({"upstream": UPSTREAM, "auth": {"token": "t0ken"}})
    kept = clean_proxy_settings({"upstream": UPSTREAM, "metadata_ttl": 60}, current=current)
    assert kept["auth"] == {"token": "t0ken"}
    shown_back = clean_proxy_settings(public_proxy_settings(current), current=current)
    assert shown_back["auth"] == {"token": "t0ken"}
    replaced = clean_proxy_settings(
        {"upstream": UPSTREAM, "auth": {"token": "new"}}, current=current
    )
    assert replaced["auth"] == {"token": "new"}
    removed = clean_proxy_settings({"upstream": UPSTREAM, "auth": None}, current=current)
    assert removed["auth"] is None
    with pytest.raises(ValueError, match="only keeps stored credentials of that type"):
        clean_proxy_settings({"upstream": UPSTREAM, "auth": {"type": "basic"}}, current=current)


def test_name_patterns_use_the_formats_rule_and_deny_wins():
    cleaned = clean_proxy_settings(
        {"upstream": UPSTREAM, "allow": ["Django_*", "six"], "deny": ["django-evil*"]},
        normalize=canonicalize_name,
    )
    assert cleaned["allow"] == ["django-*", "six"]
    names = proxy_settings(cleaned).names
    assert names.permits("django-rest") and names.permits("six")
    assert not names.permits("django-evil-twin")
    assert not names.permits("requests")


def test_npm_scopes_are_patterns_too():
    names = proxy_settings(clean_proxy_settings({"upstream": UPSTREAM, "deny": ["@corp/*"]})).names
    assert not names.permits("@corp/secret-sauce")
    assert names.permits("@types/ms") and names.permits("corp")
