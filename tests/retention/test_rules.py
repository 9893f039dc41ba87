"""Each rule alone, then combined with AND; protections; refusals of rules that select all.

The rules rank versions by the format's own order: PEP 440 for PyPI, semver for npm.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from repository.formats import get_format
from repository.retention.rules import Rules, VersionRow

NOW = timezone.now()


def rows(*specs) -> list[VersionRow]:
    """(version, days since upload, days since last download or None) per row."""
    return [
        VersionRow(
            pk,
            version,
            NOW - timedelta(days=age),
            None if downloaded is None else NOW - timedelta(days=downloaded),
        )
        for pk, (version, age, downloaded) in enumerate(specs, 1)
    ]


def selected(rules: Rules, fmt: str, versions: list[VersionRow], protected=()) -> list[str]:
    return [m.row.version for m in rules.select(get_format(fmt), versions, set(protected), NOW)]


PYPI = rows(("1.9", 90, None), ("1.10", 60, 1), ("1.10.1rc1", 30, None), ("2.0", 5, 2))


def test_keep_newest_ranks_by_the_formats_version_order_not_upload_time():
    assert selected(Rules(keep_newest=2), "pypi", PYPI) == ["1.10", "1.9"]
    npm = rows(("1.10.0", 1, None), ("1.9.0", 10, None), ("2.0.0-rc.1", 20, None))
    assert selected(Rules(keep_newest=1), "npm", npm) == ["1.10.0", "1.9.0"]


def test_older_than_days_selects_versions_uploaded_before_the_cutoff():
    assert selected(Rules(older_than_days=45), "pypi", PYPI) == ["1.10", "1.9"]


def test_not_downloaded_counts_a_never_downloaded_version_from_its_upload():
    # 1.10 was downloaded yesterday; 1.10.1rc1 was never downloaded and is 30 days old.
    assert selected(Rules(not_downloaded_days=20), "pypi", PYPI) == ["1.10.1rc1", "1.9"]
    assert selected(Rules(not_downloaded_days=40), "pypi", PYPI) == ["1.9"]


def test_prereleases_only_and_releases_only_follow_the_format():
    assert selected(Rules(releases="prereleases"), "pypi", PYPI) == ["1.10.1rc1"]
    assert selected(Rules(releases="releases"), "pypi", PYPI) == ["2.0", "1.10", "1.9"]
    npm = rows(("1.0.0", 1, None), ("1.1.0-beta.2", 1, None))
    assert selected(Rules(releases="prereleases"), "npm", npm) == ["1.1.0-beta.2"]


def test_name_glob_matches_the_stored_or_the_display_name():
    rules = Rules(name_glob="acme-*")
    assert rules.matches_name("acme-tools", "Acme_Tools")
    assert rules.matches_name("other", "acme-legacy")
    assert not rules.matches_name("tools-acme", "tools-acme")
    assert Rules(name_glob="@team/*").matches_name("@team/ui", "@team/ui")


def test_rules_combine_with_and():
    rules = Rules(keep_newest=1, older_than_days=45, releases="releases")
    assert selected(rules, "pypi", PYPI) == ["1.10", "1.9"]
    rules = Rules(keep_newest=1, not_downloaded_days=20)
    assert selected(rules, "pypi", PYPI) == ["1.10.1rc1", "1.9"]
    rules = Rules(older_than_days=45, not_downloaded_days=20, releases="prereleases")
    assert selected(rules, "pypi", PYPI) == []


def test_each_match_says_which_rules_matched():
    rules = Rules(keep_newest=2, not_downloaded_days=20, name_glob="*")
    reasons = {m.row.version: m.reason for m in rules.select(get_format("pypi"), PYPI, set(), NOW)}
    assert reasons == {
        "1.9": "#4 by version, beyond the newest 2; never downloaded in 90 days; name matches *"
    }


def test_protected_versions_are_never_selected():
    tagged_or_pinned = {1}  # 1.9
    assert selected(Rules(older_than_days=45), "pypi", PYPI, tagged_or_pinned) == ["1.10"]


def test_the_last_remaining_version_is_spared_unless_the_policy_says_so():
    versions = rows(("1.0", 100, None), ("1.1", 100, None))
    assert selected(Rules(older_than_days=10), "pypi", versions) == ["1.0"]
    rules = Rules(older_than_days=10, delete_last_version=True)
    assert selected(rules, "pypi", versions) == ["1.1", "1.0"]


def test_a_protected_version_counts_as_remaining():
    versions = rows(("1.0", 100, None), ("1.1", 100, None))
    assert selected(Rules(older_than_days=10), "pypi", versions, {2}) == ["1.0"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (Rules(), "set at least one rule"),
        (Rules(keep_newest=-1), "keep_newest must be"),
        (Rules(releases="sometimes"), "releases must be one of"),
        (Rules(older_than_days=1, cached_not_downloaded_days=-2), "cached_not_downloaded_days"),
    ],
)
def test_it_refuses_rules_that_cannot_work(rules, message):
    with pytest.raises(ValueError, match=message):
        rules.check()
