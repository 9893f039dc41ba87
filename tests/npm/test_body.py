"""Streaming JSON bodies: long strings spooled to files, limits enforced mid-stream."""

import base64
import json
import os

import pytest

from formats.npm.attachment import decode_attachment, decode_base64
from formats.npm.body import LONG_STRING, BadBody, BodyTooLarge, read_json_body


def chunked(data: bytes, size: int):
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("chunk_size", [1, 7, 4096])
def test_it_parses_ordinary_json_in_any_chunking(chunk_size):
    document = {"a": 'quote " and \\ backslash', "b": [1, 2, {"c": "\u00e9\n"}], "d": None}
    raw = json.dumps(document).encode()
    with read_json_body(chunked(raw, chunk_size), 10**6) as body:
        assert body.document == document
        assert body.spooled == {}


@pytest.mark.parametrize("chunk_size", [3, 1000, 65536])
def test_it_spools_long_strings_to_files(chunk_size):
    data = base64.b64encode(os.urandom(LONG_STRING)).decode()
    raw = json.dumps({"_attachments": {"x.tgz": {"data": data}}, "name": "x"}).encode()
    with read_json_body(chunked(raw, chunk_size), 10**7) as body:
        placeholder = body.document["_attachments"]["x.tgz"]["data"]
        spooled = body.spooled_string(placeholder)
        assert spooled is not None
        assert b"".join(spooled.chunks()) == data.encode()
        assert spooled.has_escapes is False
        assert body.document["name"] == "x"


def test_it_notes_escapes_inside_spooled_strings():
    data = "a" * LONG_STRING + "\\/" + "b"
    raw = b'{"s": "' + data.encode() + b'"}'
    with read_json_body([raw], 10**7) as body:
        assert body.spooled_string(body.document["s"]).has_escapes


def test_it_enforces_the_limit_while_streaming():
    chunks = (b"x" * 1000 for _ in range(100))
    with pytest.raises(BodyTooLarge):
        read_json_body(chunks, 5000)


@pytest.mark.parametrize("raw", [b"", b"{", b'{"a": "unterminated', b"[1,]", b"\xff\xfe"])
def test_it_rejects_invalid_json(raw):
    with pytest.raises(BadBody):
        read_json_body([raw], 1000)


def test_it_decodes_base64_in_pieces():
    data = os.urandom(10_000)
    encoded = base64.b64encode(data)
    assert b"".join(decode_base64(chunked(encoded, 333))) == data


@pytest.mark.parametrize("encoded", [b"QQ=", b"QQ==QUJD", b"Q!==", b"QUJ\nD"])
def test_it_rejects_invalid_base64(encoded):
    with pytest.raises(BadBody):
        b"".join(decode_base64(chunked(encoded, 4)))


def test_it_limits_the_decoded_attachment():
    data = base64.b64encode(os.urandom(LONG_STRING * 2)).decode()
    raw = json.dumps({"a": {"data": data}}).encode()
    with read_json_body([raw], 10**7) as body, pytest.raises(BodyTooLarge):
        decode_attachment(body, body.document["a"], LONG_STRING)


def test_it_refuses_escaped_attachment_data():
    raw = b'{"a": {"data": "' + b"QUJD" * LONG_STRING + b'\\/"}}'
    with read_json_body([raw], 10**7) as body, pytest.raises(BadBody):
        decode_attachment(body, body.document["a"], 10**7)
