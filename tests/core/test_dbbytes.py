"""Rows with large binary columns come back byte for byte, from the row the query names."""

import pytest

from repository.dbbytes import first_row
from repository.models import RenderedDocument, Repository

EVERY_BYTE = bytes(range(256)) * 4096  # 1 MiB, NULs and invalid UTF-8 included


@pytest.fixture
def document(db):
    repository = Repository.objects.create(name="bytes", format="npm")
    return RenderedDocument.objects.create(
        repository=repository,
        key="packument",
        content_type="application/json",
        generation=7,
        etag="e",
        body=EVERY_BYTE,
    )


def test_it_reads_every_byte_as_stored(document):
    etag, body = first_row(RenderedDocument.objects.filter(pk=document.pk), "etag", "body")
    assert (etag, bytes(body)) == ("e", EVERY_BYTE)


def test_it_honours_every_filter_of_the_query(document):
    """A reader that checks the generation never gets the body of a newer render."""
    newer = RenderedDocument.objects.filter(pk=document.pk, generation=8)
    assert first_row(newer, "body") is None
    assert first_row(RenderedDocument.objects.none(), "body") is None


def test_it_sees_the_transactions_own_writes(document):
    RenderedDocument.objects.filter(pk=document.pk).update(body=b"rewritten")
    (body,) = first_row(RenderedDocument.objects.filter(pk=document.pk), "body")
    assert bytes(body) == b"rewritten"


def test_it_shows_in_djangos_query_log(document, django_assert_num_queries):
    with django_assert_num_queries(1):
        first_row(RenderedDocument.objects.filter(pk=document.pk), "body")
