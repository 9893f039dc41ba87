"""`larder createadmin`: the superuser exists with the configured password; safe to rerun."""

from django.contrib.auth import get_user_model

from repository.models import AuditEvent


def admin_user():
    return get_user_model().objects.get(username="admin")


def test_it_creates_the_superuser_with_the_configured_password(larder, monkeypatch):
    monkeypatch.setenv("LARDER_ADMIN_PASSWORD", "configured-secret-1")
    result = larder("createadmin")
    assert result.code == 0
    assert result.stdout == ""
    user = admin_user()
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.check_password("configured-secret-1")
    assert "configured-secret-1" not in result.stderr
    assert AuditEvent.objects.filter(action="user.create", target="admin").exists()


def test_it_generates_a_password_and_prints_it_once_on_stderr(larder, monkeypatch):
    monkeypatch.delenv("LARDER_ADMIN_PASSWORD", raising=False)
    first = larder("createadmin")
    assert first.code == 0
    assert first.stdout == ""
    password = first.stderr.split("with the password ")[1].split()[0]
    assert admin_user().check_password(password)
    again = larder("createadmin")
    assert again.code == 0
    assert password not in again.stderr
    assert admin_user().check_password(password)


def test_it_updates_the_password_when_it_changes(larder, monkeypatch):
    monkeypatch.setenv("LARDER_ADMIN_PASSWORD", "first-password-1")
    larder("createadmin")
    monkeypatch.setenv("LARDER_ADMIN_PASSWORD", "second-password-2")
    result = larder("createadmin")
    assert result.code == 0
    assert admin_user().check_password("second-password-2")
    assert AuditEvent.objects.filter(action="user.update", target="admin").count() == 1


def test_it_changes_and_audits_nothing_when_all_is_in_place(larder, monkeypatch):
    monkeypatch.setenv("LARDER_ADMIN_PASSWORD", "same-password-1")
    larder("createadmin")
    password_hash = admin_user().password
    result = larder("createadmin")
    assert result.code == 0
    assert admin_user().password == password_hash
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_it_restores_superuser_rights_of_an_existing_admin(larder, make_user, monkeypatch):
    make_user("admin")  # a plain user who happens to be named admin
    monkeypatch.delenv("LARDER_ADMIN_PASSWORD", raising=False)
    assert larder("createadmin").code == 0
    assert admin_user().is_superuser


def test_it_refuses_a_weak_password(larder, monkeypatch):
    monkeypatch.setenv("LARDER_ADMIN_PASSWORD", "short")
    result = larder("createadmin")
    assert result.code == 1
    assert "LARDER_ADMIN_PASSWORD" in result.stderr
    assert not get_user_model().objects.filter(username="admin").exists()
