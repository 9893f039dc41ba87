"""The audit trail is append-only for everyone: no change or delete through the ORM (and so
through no view built on it), and deleting a user keeps their events under their name."""

import pytest

from repository.audit import record
from repository.models import AuditEvent
from repository.models.audit import AppendOnly


@pytest.fixture
def event(db):
    return record(None, "test.event", target="x")


def test_an_event_cannot_be_changed(event):
    event.action = "forged"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_deleted_users_events_keep_their_name(make_user):
    user = make_user("leaver")
    record(None, "test.event", actor=user)
    user.delete()
    kept = AuditEvent.objects.get(action="test.event")
    assert (kept.actor, kept.actor_name) == (None, "leaver")
