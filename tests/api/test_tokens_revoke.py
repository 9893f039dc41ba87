"""DELETE /api/v1/tokens/<id>/: revoke; the token stops working at once."""

from repository.models import ApiToken, AuditEvent

URL = "/api/v1/tokens/"


def token_url(name: str) -> str:
    return f"{URL}{ApiToken.objects.get(name=name).pk}/"


def test_it_revokes_the_callers_token(api, reader, make_token):
    plain = make_token(reader, name="laptop")
    url = token_url("laptop")
    assert api("DELETE", url, user=reader).status_code == 204
    assert ApiToken.objects.get(name="laptop").revoked is not None
    assert api("GET", URL, token=plain).status_code == 401
    assert api("GET", URL, user=reader).json()["count"] == 0
    assert api("DELETE", url, user=reader).status_code == 404


def test_it_writes_an_audit_event(api, reader, make_token):
    make_token(reader, name="laptop")
    api("DELETE", token_url("laptop"), user=reader)
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor, event.details["user"]) == (reader, "reader")


def test_it_lets_a_token_revoke_itself(api, reader, make_token):
    plain = make_token(reader, name="ci", readonly=True)
    assert api("DELETE", token_url("ci"), token=plain).status_code == 204


def test_it_will_not_let_a_token_revoke_other_tokens(api, reader, make_token):
    make_token(reader, name="laptop")
    plain = make_token(reader, name="ci")
    assert api("DELETE", token_url("laptop"), token=plain).status_code == 403
    assert ApiToken.objects.get(name="laptop").revoked is None


def test_it_hides_other_users_tokens(api, reader, outsider, make_token):
    make_token(reader, name="laptop")
    assert api("DELETE", token_url("laptop"), user=outsider).status_code == 404
    assert ApiToken.objects.get(name="laptop").revoked is None


def test_it_lets_an_admin_revoke_anyones_token(api, admin, reader, make_token):
    make_token(reader, name="leaked")
    assert api("DELETE", token_url("leaked"), user=admin).status_code == 204
    assert ApiToken.objects.get(name="leaked").revoked is not None


def test_it_asks_anonymous_callers_to_authenticate(api, reader, make_token):
    make_token(reader, name="laptop")
    assert api("DELETE", token_url("laptop")).status_code == 401
