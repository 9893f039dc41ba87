"""No secret reaches a log line, however the record carries it."""

import logging

from repository.observability.redaction import RedactSecretsFilter

TOKEN = "larder_abcdefSECRETPART123"


def _written(msg, args) -> str:
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, msg, args, None)
    assert RedactSecretsFilter().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_an_access_line_masks_tokens_and_url_passwords_from_its_arguments():
    # gunicorn passes one dict of every request field and header as the record's argument.
    atoms = {
        "r": f"DELETE /-/user/token/{TOKEN} HTTP/1.1",
        "f": "https://ci:hunter2@larder.example/repository/npm/",
        "{authorization}i": f"Bearer {TOKEN}",
    }
    line = _written('"%(r)s" "%(f)s"', atoms)
    assert line == (
        '"DELETE /-/user/token/larder_abcdef[redacted] HTTP/1.1" '
        '"https://ci:[redacted]@larder.example/repository/npm/"'
    )


def test_a_line_without_secrets_is_written_as_formatted():
    assert _written("%s %s", ("GET", "/repository/pypi/simple/")) == "GET /repository/pypi/simple/"


def test_arguments_that_do_not_fit_the_message_are_left_out_not_written_raw():
    line = _written("token %s and %s", (TOKEN,))
    assert line == "token %s and %s"
    assert "SECRET" not in line
