"""Stored documents come back byte for byte, and only for the validity a reader asks for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from repository.cache.documents import Owner, Validity, load_or_render
from repository.models import Repository

EVERY_BYTE = bytes(range(256)) * 4096  # 1 MiB, NULs and invalid UTF-8 included


@pytest.fixture
def owner(db):
    return Owner(Repository.objects.create(name="bytes", format="npm"), None)


def stored(owner, validity: Validity, body: bytes = EVERY_BYTE):
    return load_or_render(owner, "packument", validity, "application/json", lambda: body)


def test_it_reads_every_byte_as_stored(owner):
    stored(owner, Validity.of(7))
    again = stored(owner, Validity.of(7), b"never rendered")
    assert bytes(again.body) == EVERY_BYTE


def test_a_reader_of_another_generation_never_gets_this_body(owner):
    stored(owner, Validity.of(7))
    assert bytes(stored(owner, Validity.of(8), b"newer").body) == b"newer"
    assert bytes(stored(owner, Validity.of(7), b"older again").body) == b"older again"


def test_a_document_combining_repositories_changes_with_any_of_them(owner):
    stored(owner, Validity.of(3, 5))
    assert bytes(stored(owner, Validity.of(3, 6), b"member changed").body) == b"member changed"


def test_a_document_past_its_expiry_is_rendered_again(owner):
    past = Validity.of(1, expires=timezone.now() - timedelta(seconds=1))
    stored(owner, past)
    assert bytes(stored(owner, past, b"fresh").body) == b"fresh"


def test_long_generation_vectors_still_fit(owner):
    many = Validity.of(*range(1000, 1100))
    stored(owner, many)
    assert bytes(stored(owner, many, b"never rendered").body) == EVERY_BYTE
