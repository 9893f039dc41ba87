"""Typed proxy settings for an upstream fixture, as a repository would hold them."""

from repository.proxy.settings import ProxySettings, clean_proxy_settings, proxy_settings


def settings_for(upstream_url: str, **options) -> ProxySettings:
    return proxy_settings(clean_proxy_settings({"upstream": upstream_url, **options}))
