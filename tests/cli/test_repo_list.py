"""`larder repo list`: one tab-separated line per repository, or JSON."""

import json


def test_it_lists_repositories_as_tab_separated_lines(larder, make_repository):
    make_repository("py-internal", "pypi", private=True)
    make_repository("files", "generic", redeploy_policy="allowed", delete_policy="deployers")
    result = larder("repo", "list")
    assert result.code == 0
    assert result.stdout.splitlines() == [
        "files\tgeneric\thosted\tpublic\tredeploy:allowed\tdelete:deployers",
        "py-internal\tpypi\thosted\tprivate\tredeploy:forbidden\tdelete:allowed",
    ]


def test_it_lists_repositories_as_json(larder, make_repository):
    make_repository("npm-local", "npm", description="our packages")
    rows = json.loads(larder("repo", "list", "--json").stdout)
    assert rows == [
        {
            "name": "npm-local",
            "format": "npm",
            "kind": "hosted",
            "private": False,
            "redeploy_policy": "forbidden",
            "delete_policy": "allowed",
            "trash_days": 7,
            "description": "our packages",
        }
    ]


def test_it_prints_nothing_when_there_are_no_repositories(larder):
    result = larder("repo", "list")
    assert result.code == 0
    assert result.stdout == ""
    assert json.loads(larder("repo", "list", "--json").stdout) == []
