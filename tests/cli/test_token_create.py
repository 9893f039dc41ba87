"""`larder token create` prints only a working token, and audits it."""

from datetime import timedelta

from django.utils import timezone

from repository.access.tokens import resolve_token
from repository.models import AuditEvent


def test_it_prints_only_a_working_token_on_stdout(larder, deployer):
    result = larder("token", "create", "--user", "deployer", "--name", "ci")
    assert result.code == 0
    plain = result.stdout.strip()
    assert result.stdout == plain + "\n"
    token = resolve_token(plain)
    assert token.user == deployer
    assert token.name == "ci"
    assert token.expires is None


def test_it_sets_the_expiry_in_days(larder, deployer):
    plain = larder("token", "create", "--user", "deployer", "--expires", "30").stdout.strip()
    expires = resolve_token(plain).expires
    assert abs(expires - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_it_limits_a_token_to_repositories_and_reads(larder, deployer, make_repository):
    only = make_repository("only-here", "generic")
    result = larder(
        "token", "create", "--user", "deployer", "--readonly", "--repository", "only-here"
    )
    token = resolve_token(result.stdout.strip())
    assert token.readonly
    assert list(token.repositories.all()) == [only]


def test_it_audits_the_token_without_its_secret(larder, deployer):
    plain = larder("token", "create", "--user", "deployer").stdout.strip()
    event = AuditEvent.objects.get(action="token.create")
    assert event.details["user"] == "deployer"
    assert event.target == plain[: len(event.target)]
    assert plain not in str(event.details)


def test_it_fails_for_an_unknown_user(larder):
    result = larder("token", "create", "--user", "nobody")
    assert result.code == 1
    assert result.stdout == ""
    assert "no user named 'nobody'" in result.stderr


def test_it_fails_for_an_unknown_repository(larder, deployer):
    result = larder("token", "create", "--user", "deployer", "--repository", "nope")
    assert result.code == 1
    assert result.stdout == ""
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_non_positive_expiry(larder, deployer):
    result = larder("token", "create", "--user", "deployer", "--expires", "0")
    assert result.code == 1
    assert "--expires" in result.stderr
