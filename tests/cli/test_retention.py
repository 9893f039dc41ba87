"""`larder retention run|list`, `larder pin`, `larder trash list|restore|purge`."""

import json

import pytest

from repository.models import PolicyRun, TrashEntry, Version, VersionPin
from repository.retention.trash import trash_version


@pytest.fixture
def py(make_repository, publish):
    repository = make_repository("py", "pypi")
    for minor, age in ((0, 50), (1, 40), (2, 1)):
        publish(repository, "alpha", f"1.{minor}", days_old=age, content=f"a{minor}".encode())
    return repository


def test_it_runs_a_policy_with_progress_and_a_summary(larder, py, policy):
    policy(py, name="old", keep_newest=1)
    result = larder("retention", "run", "old", "--json")
    assert result.code == 0
    assert "[##############################] 100% 1/1 packages, 2 versions" in result.stderr
    assert "larder: run " in result.stderr and "deleted 2 versions (2 files)" in result.stderr
    record = json.loads(result.stdout)
    assert (record["status"], record["versions_deleted"], record["bytes_reclaimed"]) == (
        "finished",
        2,
        4,
    )
    assert list(Version.objects.values_list("version", flat=True)) == ["1.2"]
    assert PolicyRun.objects.get().trigger == "cli"


def test_a_dry_run_says_what_would_go_and_deletes_nothing(larder, py, policy):
    policy(py, name="old", keep_newest=1)
    result = larder("retention", "run", "old", "--dry-run", "--quiet")
    assert result.code == 0
    assert "would have deleted 2 versions (2 files), 0.0 MB" in result.stderr
    assert "[" not in result.stderr
    assert Version.objects.count() == 3


def test_it_names_a_policy_by_id_and_fails_on_unknown_ones(larder, py, policy):
    found = policy(py, name="old", keep_newest=1)
    assert larder("retention", "run", str(found.pk), "--quiet").code == 0
    result = larder("retention", "run", "nope")
    assert (result.code, result.stderr) == (1, "larder: error: no retention policy named 'nope'\n")


def test_it_lists_policies(larder, py, policy):
    found = policy(py, name="old", keep_newest=1, schedule="0 4 * * *")
    assert larder("retention", "list").stdout == f"{found.pk}\told\tpy\t0 4 * * *\n"


def test_it_pins_and_unpins_a_version(larder, py, policy):
    assert larder("pin", "py", "Alpha", "1.0", "--reason", "audit").code == 0
    assert VersionPin.objects.get().version.version == "1.0"
    policy(py, name="old", keep_newest=1)
    larder("retention", "run", "old", "--quiet")
    assert set(Version.objects.values_list("version", flat=True)) == {"1.0", "1.2"}
    assert larder("pin", "py", "alpha", "1.0", "--undo").code == 0
    assert not VersionPin.objects.exists()
    assert larder("pin", "py", "alpha", "9.9").stderr == (
        "larder: error: alpha has no version '9.9'\n"
    )


def test_it_lists_restores_and_purges_the_trash(larder, py, publish):
    first = trash_version(Version.objects.get(version="1.0"), reason="DELETE")
    second = trash_version(Version.objects.get(version="1.1"), reason="DELETE")
    lines = larder("trash", "list", "py").stdout.splitlines()
    assert [line.split("\t")[:3] for line in lines] == [
        [str(second.pk), "alpha 1.1", "2"],
        [str(first.pk), "alpha 1.0", "2"],
    ]
    assert larder("trash", "restore", "py", str(first.pk)).code == 0
    assert Version.objects.filter(version="1.0").exists()
    assert larder("trash", "purge", "py", str(second.pk)).code == 0
    assert not TrashEntry.objects.exists()


def test_it_says_why_a_restore_is_refused(larder, py, publish):
    entry = trash_version(Version.objects.get(version="1.0"), reason="DELETE")
    publish(py, "alpha", "1.0", content=b"again")
    result = larder("trash", "restore", "py", str(entry.pk))
    assert result.code == 1
    assert "alpha 1.0 was published again after it was deleted" in result.stderr
