"""The storage dashboard: figures per repository, a chart of 30 days, soft-quota warnings."""

from datetime import timedelta

from django.utils import timezone

from repository.retention.figures import take_snapshots
from tests.ui.conftest import client_for, table_rows


def test_it_shows_each_repositorys_figures_and_a_growth_chart(admin, make_repository, publish):
    py = make_repository("py", "pypi", soft_quota_bytes=5, quota_bytes=1000)
    make_repository("js", "npm")
    publish(py, "alpha", "1.0", content=b"0123456789")
    take_snapshots(timezone.now().date() - timedelta(days=20))
    publish(py, "alpha", "1.1", content=b"0123456789")
    take_snapshots()
    response = client_for(admin).get("/ui/storage/")
    rows = {row[0].split()[0]: row for row in table_rows(response)}
    assert rows["py"][1:7] == ["20 bytes", "10 bytes", "0 bytes", "1", "2", "2"]
    assert "over the soft quota" in rows["py"][8]
    body = response.content.decode()
    assert '<polyline points="' in body
    assert 'data-repository="py"' in body
    assert "py 20\xa0bytes" in body


def test_it_explains_an_empty_chart(admin, make_repository):
    make_repository("py", "pypi")
    assert b"No daily snapshots yet" in client_for(admin).get("/ui/storage/").content


def test_the_repository_page_warns_past_the_soft_quota(reader, make_repository, publish):
    py = make_repository("py", "pypi", soft_quota_bytes=5, quota_bytes=1000)
    client = client_for(reader)
    assert b"Soft quota passed" not in client.get("/ui/repositories/py/").content
    publish(py, "alpha", "1.0", content=b"0123456789")
    page = client.get("/ui/repositories/py/").content.decode()
    assert "Soft quota passed:" in page
    assert "holds 10\xa0bytes, past its soft quota of 5\xa0bytes" in page
