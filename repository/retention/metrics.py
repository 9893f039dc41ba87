"""Storage per repository for Prometheus: stored bytes beside the soft and hard quotas.

Computed from the database when scraped, at most once a minute per deployment (the shared
cache keeps the figures), so a scrape of every web process costs one grouped query.
"""

from django.core.cache import cache
from django.db.models import Sum
from prometheus_client.core import GaugeMetricFamily

from repository.models import Asset, Repository

CACHE_KEY = "metrics:repository-storage"
CACHE_SECONDS = 60


def _rows() -> list[tuple[str, int, int | None, int | None]]:
    rows = cache.get(CACHE_KEY)
    if rows is None:
        stored = dict(
            Asset.objects.order_by()
            .values("repository")
            .annotate(total=Sum("blob__size"))
            .values_list("repository", "total")
        )
        rows = [
            (name, stored.get(pk) or 0, soft, hard)
            for pk, name, soft, hard in Repository.objects.order_by("name").values_list(
                "pk", "name", "soft_quota_bytes", "quota_bytes"
            )
        ]
        cache.set(CACHE_KEY, rows, CACHE_SECONDS)
    return rows


class StorageCollector:
    def collect(self):
        labels = ["repository"]
        stored = GaugeMetricFamily(
            "larder_repository_stored_bytes", "Bytes of a repository's files", labels=labels
        )
        soft = GaugeMetricFamily(
            "larder_repository_soft_quota_bytes", "The soft quota (warns)", labels=labels
        )
        hard = GaugeMetricFamily(
            "larder_repository_quota_bytes", "The hard quota (refuses uploads)", labels=labels
        )
        over = GaugeMetricFamily(
            "larder_repository_over_soft_quota",
            "1 when a repository's files passed its soft quota",
            labels=labels,
        )
        for name, size, soft_quota, hard_quota in _rows():
            stored.add_metric([name], size)
            if soft_quota is not None:
                soft.add_metric([name], soft_quota)
                over.add_metric([name], 1 if size >= soft_quota else 0)
            if hard_quota is not None:
                hard.add_metric([name], hard_quota)
        yield from (stored, soft, hard, over)
