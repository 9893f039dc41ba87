"""What a package-lock.json pins for `larder proxy warm` (npm's reader)."""

import json

import pytest

from repository.formats import get_format


def items(lock) -> list:
    return get_format("npm").warm_items(lock if isinstance(lock, str) else json.dumps(lock))


def test_it_reads_every_installed_package_of_a_v3_lockfile():
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "version": "1.0.0"},
            "node_modules/ms": {"version": "2.1.3", "resolved": "https://upstream.example/x"},
            "node_modules/@types/ms": {"version": "0.7.34"},
            "node_modules/debug/node_modules/ms": {"version": "2.1.2"},
            "node_modules/old-ms": {"name": "ms", "version": "2.0.0"},
            "node_modules/local": {"resolved": "packages/local", "link": True},
            "packages/local": {"version": "0.0.1"},
            "node_modules/bundler/node_modules/inner": {"version": "1.0.0", "inBundle": True},
        },
    }
    assert items(lock) == [
        ("ms", "2.1.3"),
        ("@types/ms", "0.7.34"),
        ("ms", "2.1.2"),
        ("ms", "2.0.0"),
    ]


@pytest.mark.parametrize(
    ("lock", "reason"),
    [
        ("six==1.0\n", "package-lock.json: not JSON"),
        ({"lockfileVersion": 1, "dependencies": {}}, "version 1 is not read"),
        ({"name": "app"}, "no `packages` map"),
        ({"packages": {"node_modules/ms": {}}}, "node_modules/ms has no version"),
    ],
)
def test_it_says_why_a_file_is_not_a_lockfile(lock, reason):
    with pytest.raises(ValueError, match=reason):
        items(lock)
