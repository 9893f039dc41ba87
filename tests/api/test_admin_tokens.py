"""Tokens in the admin: listed and revoked, never created there, never their hash."""

import pytest

from repository.access.tokens import hash_token
from repository.models import ApiToken, AuditEvent

LIST = "/admin/repository/apitoken/"


@pytest.fixture
def staff(client, admin):
    client.force_login(admin)
    return client


def test_it_lists_tokens_without_their_secret_or_hash(staff, reader, make_token):
    plain = make_token(reader, name="laptop")
    token = ApiToken.objects.get()
    for url in [LIST, f"{LIST}{token.pk}/change/"]:
        page = staff.get(url).content.decode()
        assert token.prefix in page
        assert plain not in page
        assert hash_token(plain) not in page
        assert "token_hash" not in page


def test_it_points_to_the_api_and_cli_instead_of_an_add_form(staff):
    assert "POST /api/v1/tokens/" in staff.get(LIST).content.decode()
    assert staff.get(f"{LIST}add/").status_code == 403


def test_it_never_edits_a_token(staff, reader, make_token):
    make_token(reader, name="laptop")
    token = ApiToken.objects.get()
    staff.post(f"{LIST}{token.pk}/change/", {"name": "renamed", "readonly": "on"})
    token.refresh_from_db()
    assert (token.name, token.readonly) == ("laptop", False)


def test_it_revokes_selected_tokens_with_an_audit_event(staff, admin, reader, make_token):
    make_token(reader, name="leaked")
    token = ApiToken.objects.get()
    response = staff.post(LIST, {"action": "revoke", "_selected_action": [str(token.pk)]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor, event.target) == (admin, token.prefix)


def test_it_keeps_revoked_tokens_on_record(staff, reader, make_token):
    make_token(reader)
    token = ApiToken.objects.get()
    assert staff.get(f"{LIST}{token.pk}/delete/").status_code == 403
