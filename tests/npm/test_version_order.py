"""npm versions sort by SemVer 2.0 precedence, pre-releases and all."""

import functools
import random

import semver

from formats.npm.format import NpmFormat

VERSIONS = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1-0",
    "1.0.1",
    "1.2.0",
    "1.10.0",
    "2.0.0-beta.1",
    "2.0.0",
    "10.0.0",
]


def test_it_sorts_as_the_semver_spec_orders_its_examples():
    shuffled = VERSIONS[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=NpmFormat().version_key) == VERSIONS


def test_it_agrees_with_semver_compare_on_every_pair():
    by_semver = sorted(
        VERSIONS, key=functools.cmp_to_key(lambda a, b: semver.Version.parse(a).compare(b))
    )
    assert sorted(reversed(VERSIONS), key=NpmFormat().version_key) == by_semver


def test_it_puts_unparseable_versions_first():
    assert sorted(["1.0.0", "latest-ish"], key=NpmFormat().version_key) == ["latest-ish", "1.0.0"]
