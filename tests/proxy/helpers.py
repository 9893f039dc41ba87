"""Proxy settings and repositories for an upstream fixture, as Larder would hold them."""

from repository.proxy.settings import ProxySettings, clean_proxy_settings, proxy_settings
from repository.services.repositories import create_repository


def settings_for(upstream_url: str, **options) -> ProxySettings:
    return proxy_settings(clean_proxy_settings({"upstream": upstream_url, **options}))


def pypi_proxy(name: str, upstream_url: str, **options):
    """A PyPI proxy repository of `upstream_url`, made as the CLI and the API make one."""
    return create_repository(
        name, "pypi", kind="proxy", settings={"proxy": {"upstream": upstream_url, **options}}
    )
