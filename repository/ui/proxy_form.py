"""The proxy settings form: `settings["proxy"]` as a person types it, checked by the core.

Credentials are write-only here as everywhere: the form never shows them back (not even
the user name), only their kind. Leaving "keep" selected keeps what is stored; the rest of
the stored settings the form does not show (exemptions from cooldown) are kept as well.
"""

from collections.abc import Mapping
from typing import Any

from django import forms

from repository.formats import all_formats
from repository.proxy.settings import DEFAULTS

_WHOLE = {"min_value": 0}
_PATTERNS = forms.Textarea(attrs={"rows": 3, "placeholder": "one pattern per line, like @corp/*"})
_AUTH_CHOICES = [("none", "None"), ("basic", "Basic (user and password)"), ("bearer", "Token")]
# Shown as settings; the rest (cooldown_exempt, or keys a later release adds) are kept.
_SHOWN = (
    "upstream",
    "metadata_ttl",
    "negative_ttl",
    "connect_timeout",
    "read_timeout",
    "offline",
    "cooldown_days",
    "max_file_bytes",
    "allow",
    "deny",
    "follow_deletions",
    "content_ttl",
    "breaker_threshold",
    "breaker_open_seconds",
    "read_ahead",
)


class ProxyForm(forms.Form):
    upstream = forms.CharField(
        label="Upstream URL",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://upstream.example/simple/"}),
    )
    metadata_ttl = forms.IntegerField(label="Metadata TTL (seconds)", **_WHOLE)
    negative_ttl = forms.IntegerField(label="Negative-cache TTL (seconds)", **_WHOLE)
    connect_timeout = forms.FloatField(label="Connect timeout (seconds)", min_value=0.1)
    read_timeout = forms.FloatField(label="Read timeout (seconds)", min_value=0.1)
    cooldown_days = forms.IntegerField(label="Cooldown (days; 0: none)", **_WHOLE)
    max_file_bytes = forms.IntegerField(
        label="Largest file (bytes; empty: the upload limit)", min_value=1, required=False
    )
    content_ttl = forms.IntegerField(
        label="Generic files: content TTL (seconds; empty: immutable)", required=False, **_WHOLE
    )
    breaker_threshold = forms.IntegerField(label="Failures that open the breaker", min_value=1)
    breaker_open_seconds = forms.IntegerField(label="Breaker open for (seconds)", min_value=1)
    allow = forms.CharField(
        label="Only ask the upstream for names matching", required=False, widget=_PATTERNS
    )
    deny = forms.CharField(
        label="Never ask the upstream for names matching", required=False, widget=_PATTERNS
    )
    offline = forms.BooleanField(label="Offline: never ask the upstream", required=False)
    follow_deletions = forms.BooleanField(
        label="Follow upstream deletions (drop cached versions it no longer lists)",
        required=False,
    )
    read_ahead = forms.BooleanField(
        label="Read ahead (npm: fetch the dependencies and tarball of each package asked for)",
        required=False,
    )
    auth = forms.ChoiceField(label="Upstream credentials", choices=_AUTH_CHOICES)
    username = forms.CharField(label="User name", required=False, max_length=200)
    password = forms.CharField(
        label="Password", required=False, widget=forms.PasswordInput(render_value=False)
    )
    token = forms.CharField(
        label="Token", required=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, stored: Mapping[str, Any] | None = None, **kwargs) -> None:
        self.stored = dict(stored or {})
        current = {**DEFAULTS, **self.stored}
        initial = {key: current.get(key) for key in _SHOWN}
        initial["allow"] = "\n".join(current["allow"])
        initial["deny"] = "\n".join(current["deny"])
        initial["auth"] = "keep" if self.stored.get("auth") else "none"
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        stored_auth = self.stored.get("auth")
        if stored_auth:
            kind = "token" if "token" in stored_auth else "user and password"
            self.fields["auth"].choices = [("keep", f"Keep the stored {kind}"), *_AUTH_CHOICES]

    def clean(self) -> dict:
        cleaned = super().clean()
        auth = cleaned.get("auth")
        if auth == "basic" and not (cleaned.get("username") and cleaned.get("password")):
            self.add_error("password", "Basic credentials need a user name and a password.")
        if auth == "bearer" and not cleaned.get("token"):
            self.add_error("token", "Type the token (stored tokens are never shown).")
        return cleaned

    def proxy_settings(self) -> dict[str, Any]:
        """The settings to store, for the core to check: the form's over what it keeps."""
        data = self.cleaned_data
        kept = {key: value for key, value in self.stored.items() if key != "auth"}
        proxy = {**kept, **{key: data[key] for key in _SHOWN}}
        for key in ("allow", "deny"):
            proxy[key] = [line.strip() for line in data[key].splitlines() if line.strip()]
        if data["auth"] == "none":
            proxy["auth"] = None
        elif data["auth"] == "basic":
            proxy["auth"] = {"username": data["username"], "password": data["password"]}
        elif data["auth"] == "bearer":
            proxy["auth"] = {"token": data["token"]}
        # "keep": no `auth` at all, so the core keeps the stored credentials.
        return proxy


def proxy_formats() -> list[tuple[str, str]]:
    """The formats that can proxy an upstream (they read its index)."""
    return [(fmt.name, fmt.label) for fmt in all_formats() if fmt.upstream_reader() is not None]


class NewProxyForm(ProxyForm):
    name = forms.CharField(label="Name", max_length=64)
    format = forms.ChoiceField(label="Format")
    description = forms.CharField(label="Description", required=False, max_length=500)
    private = forms.BooleanField(
        label="Private (only those granted a role read it)", required=False
    )

    field_order = ["name", "format", "description", "private"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = proxy_formats()
