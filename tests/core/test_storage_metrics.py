"""/-/metrics: each repository's stored bytes beside its quotas, and the soft-quota flag."""

from django.core.cache import cache

from repository.models import Repository


def test_it_exports_stored_bytes_quotas_and_the_soft_quota_flag(client, make_repository, publish):
    py = make_repository("py", "pypi", soft_quota_bytes=5, quota_bytes=100)
    make_repository("js", "npm")
    publish(py, "alpha", "1.0", content=b"0123456789")
    cache.clear()
    body = client.get("/-/metrics").content.decode()
    assert 'larder_repository_stored_bytes{repository="py"} 10.0' in body
    assert 'larder_repository_stored_bytes{repository="js"} 0.0' in body
    assert 'larder_repository_soft_quota_bytes{repository="py"} 5.0' in body
    assert 'larder_repository_quota_bytes{repository="py"} 100.0' in body
    assert 'larder_repository_over_soft_quota{repository="py"} 1.0' in body
    Repository.objects.filter(pk=py.pk).update(soft_quota_bytes=50)
    cache.clear()
    body = client.get("/-/metrics").content.decode()
    assert 'larder_repository_over_soft_quota{repository="py"} 0.0' in body
