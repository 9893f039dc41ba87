"""A proxy repository's settings: what `settings["proxy"]` may hold, checked once, typed.

The core owns these for every format; a format validates only the rest of `settings`.
Credentials for the upstream are write-only: they are stored, sent to the upstream's own
host, and never echoed by `public_proxy_settings()`, a repr, or a log line. An update that
leaves `auth` out, or sends back what was shown (`{"type": "basic"}`), keeps the stored
credentials; `"auth": null` removes them.
"""

import base64
import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

DEFAULTS: dict[str, Any] = {
    "metadata_ttl": 600,  # seconds an upstream index document is fresh
    "negative_ttl": 60,  # seconds an upstream 404 is remembered
    "connect_timeout": 5.0,
    "read_timeout": 30.0,
    "offline": False,  # never contact the upstream
    "cooldown_days": 0,  # hide upstream versions younger than this
    "cooldown_exempt": [],  # name globs whose new versions are never held back
    "max_file_bytes": None,  # None: the deployment's upload limit
    "allow": [],  # name globs the upstream may be asked for (empty: any)
    "deny": [],  # name globs it is never asked for (wins over allow)
    "follow_deletions": False,  # drop cached versions the upstream no longer lists
    "content_ttl": None,  # generic files: None means immutable once fetched
    "breaker_threshold": 5,  # consecutive upstream failures that open the breaker
    "breaker_open_seconds": 60,  # how long it stays open before one trial request
    # Fetch what a client is about to ask for (npm: readahead.py). Off: on a small host the
    # worker's fetches slow the client's own more than they save (docs/proxies.md).
    "read_ahead": False,
}
_KEYS = frozenset(DEFAULTS) | {"upstream", "auth"}
_MAX_TIMEOUT = 600.0


@dataclass(frozen=True)
class Credentials:
    """Basic (username and password) or bearer (token); repr never shows the secret."""

    username: str = ""
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)

    @property
    def kind(self) -> str:
        return "bearer" if self.token else "basic"

    def header(self) -> str:
        """The Authorization header value."""
        if self.token:
            return f"Bearer {self.token}"
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


@dataclass(frozen=True)
class NamePatterns:
    """Which (normalized) names the proxy may ask its upstream for; deny wins."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()

    def permits(self, name: str) -> bool:
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in self.deny):
            return False
        return not self.allow or any(fnmatch.fnmatchcase(name, p) for p in self.allow)


@dataclass(frozen=True)
class ProxySettings:
    upstream: str
    credentials: Credentials | None = field(default=None, repr=False)
    metadata_ttl: int = DEFAULTS["metadata_ttl"]
    negative_ttl: int = DEFAULTS["negative_ttl"]
    connect_timeout: float = DEFAULTS["connect_timeout"]
    read_timeout: float = DEFAULTS["read_timeout"]
    offline: bool = DEFAULTS["offline"]
    cooldown_days: int = DEFAULTS["cooldown_days"]
    cooldown_exempt: tuple[str, ...] = ()
    max_file_bytes: int | None = DEFAULTS["max_file_bytes"]
    names: NamePatterns = NamePatterns()
    follow_deletions: bool = DEFAULTS["follow_deletions"]
    content_ttl: int | None = DEFAULTS["content_ttl"]
    breaker_threshold: int = DEFAULTS["breaker_threshold"]
    breaker_open_seconds: int = DEFAULTS["breaker_open_seconds"]
    read_ahead: bool = DEFAULTS["read_ahead"]

    def held_back(self, name: str) -> bool:
        """Whether this package's young versions wait out the cooldown (not exempt)."""
        exempt = any(fnmatch.fnmatchcase(name, pattern) for pattern in self.cooldown_exempt)
        return self.cooldown_days > 0 and not exempt

    @property
    def upstream_host(self) -> str:
        """The host name the admin configured (the only one credentials go to)."""
        return urlsplit(self.upstream).hostname or ""


def _identity(name: str) -> str:
    return name


def clean_proxy_settings(
    raw: Any,
    *,
    normalize: Callable[[str], str] = _identity,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`raw` checked and completed with defaults, in the form stored; or ValueError.

    `normalize` is the format's name rule, applied to allow/deny patterns so they compare
    with stored names. `current` is the stored form before an update: its credentials are
    kept when `raw` leaves `auth` out.
    """
    if not isinstance(raw, Mapping):
        raise ValueError("settings.proxy must be a JSON object")
    unknown = set(raw) - _KEYS
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise ValueError(f"unknown proxy setting(s): {', '.join(sorted(unknown))}; known: {known}")
    cleaned: dict[str, Any] = {"upstream": _upstream(raw.get("upstream"))}
    stored_auth = (current or {}).get("auth")
    if current and _origin(current.get("upstream", "")) != _origin(cleaned["upstream"]):
        stored_auth = None  # credentials were given for that upstream, not for this one
    cleaned["auth"] = _auth(raw["auth"], stored_auth) if "auth" in raw else stored_auth
    for key in ("metadata_ttl", "negative_ttl", "cooldown_days"):
        cleaned[key] = _whole(raw, key, minimum=0)
    for key in ("breaker_threshold", "breaker_open_seconds"):
        cleaned[key] = _whole(raw, key, minimum=1)
    for key in ("max_file_bytes", "content_ttl"):
        cleaned[key] = _whole(raw, key, minimum=1 if key == "max_file_bytes" else 0, null=True)
    for key in ("connect_timeout", "read_timeout"):
        cleaned[key] = _seconds(raw, key)
    for key in ("offline", "follow_deletions", "read_ahead"):
        cleaned[key] = _flag(raw, key)
    for key in ("allow", "deny", "cooldown_exempt"):
        cleaned[key] = _patterns(raw, key, normalize)
    return cleaned


def proxy_settings(stored: Mapping[str, Any]) -> ProxySettings:
    """The typed settings from their stored (already cleaned) form."""
    auth = stored.get("auth")
    return ProxySettings(
        upstream=stored["upstream"],
        credentials=Credentials(**auth) if auth else None,
        names=NamePatterns(tuple(stored.get("allow", ())), tuple(stored.get("deny", ()))),
        cooldown_exempt=tuple(stored.get("cooldown_exempt", ())),
        **{
            key: stored.get(key, default)
            for key, default in DEFAULTS.items()
            if key not in {"allow", "deny", "cooldown_exempt"}
        },
    )


def _shown(auth: Mapping[str, str] | None) -> dict[str, str] | None:
    return {"type": "bearer" if auth.get("token") else "basic"} if auth else None


def public_proxy_settings(stored: Mapping[str, Any]) -> dict[str, Any]:
    """What the API and the UI may show: the credentials' kind, never the credentials."""
    return {**stored, "auth": _shown(stored.get("auth"))}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _upstream(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("settings.proxy.upstream is required: the upstream's URL")
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"}:
        raise ValueError(f"upstream URL must start with http:// or https://, not {value!r}")
    if not parts.hostname:
        raise ValueError("upstream URL has no host name")
    if parts.username is not None or parts.password is not None:
        # A URL gets echoed and logged; credentials get their own, write-only setting.
        raise ValueError("put upstream credentials in settings.proxy.auth, not in the URL")
    if parts.query or parts.fragment:
        raise ValueError("upstream URL must have no query string or fragment")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValueError(f"upstream URL has an invalid port: {value!r}") from None
    return value if value.endswith("/") else value + "/"


def _auth(value: Any, current: Mapping[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    if isinstance(value, Mapping) and set(value) == {"type"}:
        if current and value == _shown(current):
            return dict(current)  # what was shown, sent back unchanged
        raise ValueError(
            'settings.proxy.auth {"type": ...} only keeps stored credentials of that type; '
            "send the credentials themselves to set new ones"
        )
    if not isinstance(value, Mapping):
        raise ValueError(
            'settings.proxy.auth must be {"username": ..., "password": ...}, {"token": ...} or null'
        )
    keys = set(value)
    strings = all(isinstance(v, str) and v for v in value.values())
    if keys == {"token"} and strings:
        return {"token": value["token"]}
    if keys == {"username", "password"} and strings:
        if ":" in value["username"]:
            raise ValueError("an upstream username cannot contain ':' (HTTP Basic)")
        return {"username": value["username"], "password": value["password"]}
    raise ValueError(
        "settings.proxy.auth needs a non-empty username and password (Basic), "
        "or a non-empty token (Bearer), and nothing else"
    )


def _whole(raw: Mapping, key: str, *, minimum: int, null: bool = False) -> int | None:
    value = raw.get(key, DEFAULTS[key])
    if value is None and null:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        also = " or null" if null else ""
        raise ValueError(f"settings.proxy.{key} must be a whole number >= {minimum}{also}")
    return value


def _seconds(raw: Mapping, key: str) -> float:
    value = raw.get(key, DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"settings.proxy.{key} must be a number of seconds")
    if not 0 < value <= _MAX_TIMEOUT:
        raise ValueError(f"settings.proxy.{key} must be above 0 and at most {_MAX_TIMEOUT:g}")
    return float(value)


def _flag(raw: Mapping, key: str) -> bool:
    value = raw.get(key, DEFAULTS[key])
    if not isinstance(value, bool):
        raise ValueError(f"settings.proxy.{key} must be true or false")
    return value


def _patterns(raw: Mapping, key: str, normalize: Callable[[str], str]) -> list[str]:
    value = raw.get(key, DEFAULTS[key])
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise ValueError(
            f'settings.proxy.{key} must be a list of name patterns, like ["@corp/*", "django-*"]'
        )
    return [normalize(pattern.strip()) for pattern in value]
