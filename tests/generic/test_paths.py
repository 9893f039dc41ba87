"""The path check: what a repository path may be, and the reason it gives when it may not."""

import pytest

from formats.generic.paths import MAX_PATH_BYTES, MAX_SEGMENT_BYTES, UnsafePath, parse_path


@pytest.mark.parametrize(
    ("raw", "segments", "folder"),
    [
        ("", (), True),
        ("a.txt", ("a.txt",), False),
        ("a/b/c.tar.gz", ("a", "b", "c.tar.gz"), False),
        ("a/b/", ("a", "b"), True),
        ("dots.../..hidden/.env", ("dots...", "..hidden", ".env"), False),
        ("spaces and #?%&=+;,@ ok", ("spaces and #?%&=+;,@ ok",), False),
        ("caf\u00e9/\u65e5\u672c.txt", ("caf\u00e9", "\u65e5\u672c.txt"), False),
        ("emoji/\U0001f600.bin", ("emoji", "\U0001f600.bin"), False),
        ("C:/x", ("C:", "x"), False),
    ],
)
def test_it_accepts_ordinary_paths(raw, segments, folder):
    path = parse_path(raw)
    assert path.segments == segments
    assert path.folder is folder


def test_it_gives_the_stored_text_the_name_and_the_folder_prefix():
    path = parse_path("a/b/c.txt")
    assert (path.text, path.name, path.prefix) == ("a/b/c.txt", "c.txt", "a/b/c.txt/")
    assert parse_path("").prefix == ""
    assert parse_path("a/b/").prefix == "a/b/"


def test_it_joins_a_relative_path_below_a_folder_and_checks_it():
    assert parse_path("a/").join("b/c.txt").text == "a/b/c.txt"
    assert parse_path("").join("c.txt").text == "c.txt"
    with pytest.raises(UnsafePath):
        parse_path("a/").join("../../etc/passwd")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("..", "'..' segments"),
        ("../etc/passwd", "'..' segments"),
        ("a/../../b", "'..' segments"),
        ("a/..", "'..' segments"),
        ("a/../", "'..' segments"),
        ("./a", "'.' segments"),
        ("a/./b", "'.' segments"),
        ("/etc/passwd", "absolute paths"),
        ("//etc/passwd", "absolute paths"),
        ("a//b", "empty segments"),
        ("a//", "empty segments"),
        ("a\\b", "backslashes"),
        ("..\\..\\windows", "backslashes"),
        ("a\x00b", "control characters"),
        ("a\nb", "control characters"),
        ("a\rb", "control characters"),
        ("a\tb", "control characters"),
        ("a\x1b[31mred", "control characters"),
        ("a\x7fb", "control characters"),
        ("a\x85b", "control characters"),
        ("a\u2028b", "control characters"),
        ("invoice\u202etxt.exe", "bidirectional"),
        ("cafe\u0301.txt", "NFC"),
        ("\ud800", "control characters"),
    ],
)
def test_it_refuses_unsafe_paths_with_a_reason(raw, reason):
    with pytest.raises(UnsafePath) as refused:
        parse_path(raw)
    assert refused.value.status == 400
    assert reason in refused.value.message


def test_it_allows_a_name_of_exactly_the_limit_and_refuses_one_byte_more():
    assert parse_path("a" * MAX_SEGMENT_BYTES).name == "a" * MAX_SEGMENT_BYTES
    with pytest.raises(UnsafePath, match="longer than 255 bytes"):
        parse_path("a" * (MAX_SEGMENT_BYTES + 1))


def test_it_counts_name_length_in_utf8_bytes_not_characters():
    with pytest.raises(UnsafePath, match="longer than 255 bytes"):
        parse_path("\u00e9" * 128)  # 128 characters, 256 bytes


def test_it_allows_a_path_of_exactly_the_limit_and_refuses_one_byte_more():
    exact = "/".join(["a" * 255, "a" * 255, "a" * 255, "a" * 254, "b"])
    assert len(exact.encode()) == MAX_PATH_BYTES
    assert parse_path(exact).text == exact
    with pytest.raises(UnsafePath, match="longer than 1024 bytes"):
        parse_path(exact + "b")


def test_it_never_echoes_control_characters_in_its_reason():
    with pytest.raises(UnsafePath) as refused:
        parse_path("evil\x1b]0;owned\x07")
    assert "\x1b" not in refused.value.message
    assert "\x07" not in refused.value.message
