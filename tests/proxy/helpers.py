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


def fetched_before_its_versions(repository, name: str) -> None:
    """As if the proxy had fetched `name` before the upstream published its versions: with
    no upload times upstream (pypiserver), the cooldown counts them from now."""
    from repository.models import Package

    Package.objects.create(
        repository=repository, name=name, display_name=name, metadata={"proxy": {}}
    )


def cooled_proxy(upstream_url: str, name: str = "cooled"):
    """A PyPI proxy with a 7-day cooldown that fetched six before its versions appeared,
    so both of six's versions upstream are held back."""
    from repository.services.repositories import create_repository

    repository = create_repository(
        name,
        "pypi",
        kind="proxy",
        settings={"proxy": {"upstream": upstream_url, "cooldown_days": 7}},
    )
    fetched_before_its_versions(repository, "six")
    return repository
