"""Template filters for npm client configuration snippets."""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def npmrc_key(url: str) -> str:
    """A registry URL as `.npmrc` keys credentials on it: `//host/path/`, scheme dropped."""
    parts = urlsplit(url)
    return f"//{parts.netloc}{parts.path}"


@register.filter
def npm_scope(name: str) -> str:
    """`@scope` of a scoped package name, or "" for an unscoped one."""
    return name.split("/", 1)[0] if name.startswith("@") and "/" in name else ""


@register.filter
def url_hostname(url: str) -> str:
    """The host name alone (yarn berry's unsafeHttpWhitelist lists host names)."""
    return urlsplit(url).hostname or ""
