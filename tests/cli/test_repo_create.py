"""`larder repo create`: through the repository service, audited, with reasons on failure."""

import json

import pytest

from repository.models import AuditEvent, Repository


def test_it_creates_a_public_hosted_repository_without_redeploys_by_default(larder):
    result = larder("repo", "create", "py", "--format", "pypi")
    assert result.code == 0
    assert result.stdout == "py\tpypi\thosted\tpublic\tredeploy:forbidden\tdelete:allowed\n"
    repository = Repository.objects.get(name="py")
    assert repository.anonymous_read
    assert repository.kind == "hosted"
    assert (repository.redeploy_policy, repository.delete_policy) == ("forbidden", "allowed")


def test_it_creates_a_private_repository_that_allows_redeploys(larder):
    result = larder(
        "repo",
        "create",
        "files",
        "--format",
        "generic",
        "--private",
        "--redeploy",
        "allowed",
        "--delete",
        "forbidden",
        "--trash-days",
        "0",
        "--description",
        "build outputs",
        "--json",
    )
    assert result.code == 0
    assert json.loads(result.stdout) == [
        {
            "name": "files",
            "format": "generic",
            "kind": "hosted",
            "private": True,
            "redeploy_policy": "allowed",
            "delete_policy": "forbidden",
            "trash_days": 0,
            "description": "build outputs",
        }
    ]
    assert not Repository.objects.get(name="files").anonymous_read


def test_it_creates_a_proxy_with_the_settings_its_flags_give(larder):
    result = larder(
        "repo", "create", "npm-up", "--format", "npm", "--kind", "proxy",
        "--upstream", "https://registry.upstream.example", "--cooldown-days", "3",
        "--deny", "@corp/*", "--read-ahead",
    )  # fmt: skip
    assert result.code == 0
    proxy = Repository.objects.get(name="npm-up").settings["proxy"]
    assert proxy["upstream"] == "https://registry.upstream.example/"
    assert (proxy["cooldown_days"], proxy["deny"], proxy["read_ahead"]) == (3, ["@corp/*"], True)
    larder("repo", "create", "npm-up-2", "--format", "npm", "--kind", "proxy",
           "--upstream", "https://registry.upstream.example")  # fmt: skip
    assert Repository.objects.get(name="npm-up-2").settings["proxy"]["read_ahead"] is False
    larder("repo", "create", "npm-up-3", "--format", "npm", "--kind", "proxy",
           "--upstream", "https://registry.upstream.example", "--no-read-ahead")  # fmt: skip
    assert Repository.objects.get(name="npm-up-3").settings["proxy"]["read_ahead"] is False


def test_it_audits_the_creation(larder):
    larder("repo", "create", "js", "--format", "npm")
    event = AuditEvent.objects.get(action="repository.create")
    assert event.repository_name == "js"
    assert event.actor is None


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["bad name", "--format", "pypi"], "invalid repository name"),
        (["py2", "--format", "maven"], "unknown format 'maven'"),
        (["py2", "--format", "pypi", "--kind", "proxy"], "needs --upstream"),
        (["PY", "--format", "pypi"], "already exists"),
    ],
    ids=["name", "format", "kind", "taken"],
)
def test_it_fails_with_the_reason_and_creates_nothing(larder, argv, reason):
    larder("repo", "create", "py", "--format", "pypi")
    result = larder("repo", "create", *argv)
    assert result.code == 1
    assert result.stdout == ""
    assert reason in result.stderr
    assert list(Repository.objects.values_list("name", flat=True)) == ["py"]
    assert AuditEvent.objects.filter(action="repository.create").count() == 1


@pytest.mark.parametrize("option", ["--redeploy", "--delete"])
def test_it_refuses_an_unknown_policy_as_bad_usage(larder, option):
    with pytest.raises(SystemExit) as exited:
        larder("repo", "create", "py", "--format", "pypi", option, "sometimes")
    assert exited.value.code == 2
