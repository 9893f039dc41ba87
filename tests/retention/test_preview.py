"""The preview: package by package, with the matched rules and the bytes a run would free,
counting dedup; cursor pages that cover every row once; CSV; and it never deletes."""

import csv
import io

import pytest

from repository.models import Version
from repository.retention.preview import Cursor, csv_rows, page, policy_scope, totals
from tests.retention.fixtures import versions_of


@pytest.fixture
def repo(make_repository):
    return make_repository("py", "pypi")


def preview(policy, limit=100):
    rules, repositories = policy_scope(policy)
    return page(rules, repositories, Cursor(), limit).items


def test_it_lists_what_a_run_would_delete_package_by_package(repo, publish, policy):
    for version in ("1.0", "1.1", "1.2"):
        publish(repo, "alpha", version, days_old=50)
    publish(repo, "beta", "0.1", days_old=50)
    publish(repo, "beta", "0.2", days_old=1)
    items = preview(policy(repo, older_than_days=30, keep_newest=1))
    assert [(i.package.name, i.version) for i in items] == [
        ("alpha", "1.1"),
        ("alpha", "1.0"),
        ("beta", "0.1"),
    ]
    assert items[0].reason == "#2 by version, beyond the newest 1; uploaded 50 days ago"
    assert [f.path for f in items[0].files] == ["files/alpha/1.1/alpha-1.1.tgz"]
    assert len(versions_of(repo)) == 5


def test_it_counts_bytes_as_freed_only_when_no_other_file_holds_the_blob(
    repo, make_repository, publish, policy
):
    publish(repo, "alpha", "1.0", days_old=50, content=b"x" * 100)
    publish(repo, "alpha", "1.1", days_old=50, content=b"shared" * 10)
    publish(repo, "alpha", "2.0", content=b"y" * 7)
    other = make_repository("mirror", "pypi")
    publish(other, "alpha", "1.1", content=b"shared" * 10)
    items = preview(policy(repo, older_than_days=30))
    assert [(i.version, i.size, i.reclaimed) for i in items] == [("1.1", 60, 0), ("1.0", 100, 100)]


def test_it_counts_a_blob_two_selected_versions_share_once(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=50, content=b"same bytes")
    publish(repo, "alpha", "1.1", days_old=50, content=b"same bytes")
    publish(repo, "alpha", "2.0")
    items = preview(policy(repo, older_than_days=30))
    assert sorted(i.reclaimed for i in items) == [0, 10]
    assert totals(*policy_scope(items[0].repository.retention_policies.get())).reclaimed == 10


def test_it_counts_a_blob_shared_with_a_selected_version_of_another_package(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=50, content=b"vendored")
    publish(repo, "alpha", "2.0")
    publish(repo, "beta", "1.0", days_old=50, content=b"vendored")
    publish(repo, "beta", "2.0")
    rules_policy = policy(repo, older_than_days=30)
    assert [(i.package.name, i.reclaimed) for i in preview(rules_policy)] == [
        ("alpha", 8),
        ("beta", 0),
    ]
    rules, repositories = policy_scope(rules_policy)
    second_page = page(rules, repositories, Cursor("py", "beta", 0), 10).items
    assert [(i.package.name, i.reclaimed) for i in second_page] == [("beta", 0)]


def test_its_cursor_pages_cover_every_row_exactly_once(repo, publish, policy):
    for package in ("a", "b", "c"):
        for minor in range(5):
            publish(repo, package, f"1.{minor}", days_old=40)
    rules, repositories = policy_scope(policy(repo, older_than_days=30))
    seen, cursor, pages = [], Cursor(), 0
    while cursor is not None:
        result = page(rules, repositories, Cursor.decode(cursor.encode()), 4)
        seen += [(i.package.name, i.version) for i in result.items]
        cursor, pages = result.next, pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 12  # the newest of each package stays


def test_it_refuses_a_cursor_it_did_not_make():
    with pytest.raises(ValueError, match="invalid cursor"):
        Cursor.decode("not-a-cursor")


def test_it_exports_csv(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=50, content=b"abc")
    publish(repo, "alpha", "2.0")
    rows = list(
        csv.reader(io.StringIO("".join(csv_rows(*policy_scope(policy(repo, keep_newest=1))))))
    )
    assert rows == [
        ["repository", "package", "version", "action", "files", "bytes", "reclaimed", "why"],
        ["py", "alpha", "1.0", "delete", "1", "3", "3", "#2 by version, beyond the newest 1"],
    ]


def test_it_totals_the_whole_run(repo, publish, policy):
    for version in ("1.0", "1.1", "2.0"):
        publish(repo, "alpha", version, days_old=50, content=version.encode() * 10)
    found = totals(*policy_scope(policy(repo, keep_newest=1)))
    assert (found.packages, found.versions, found.files, found.size, found.reclaimed) == (
        1,
        2,
        2,
        60,
        60,
    )
    assert Version.objects.count() == 3
