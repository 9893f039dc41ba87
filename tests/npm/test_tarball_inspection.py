"""Reading package tarballs safely: gzip'd tar, <top folder>/package.json, no escaping paths."""

import gzip
import io
import json
import tarfile

import pytest

from formats.npm import tarball as tarball_module
from formats.npm.tarball import BadTarball, inspect_tarball
from tests.npm.conftest import make_tarball


def inspect(data: bytes):
    return inspect_tarball(io.BytesIO(data))


def with_member(info: tarfile.TarInfo, data: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        manifest = json.dumps({"name": "x", "version": "1.0.0"}).encode()
        entry = tarfile.TarInfo("package/package.json")
        entry.size = len(manifest)
        archive.addfile(entry, io.BytesIO(manifest))
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_it_reads_manifest_counts_and_readme():
    facts = inspect(
        make_tarball(
            {"name": "x", "version": "1.0.0"},
            {"package/Readme.markdown": b"# X", "package/a/b.js": b"12345"},
        )
    )
    assert facts.manifest == {"name": "x", "version": "1.0.0"}
    assert facts.file_count == 3
    assert facts.readme == "# X"
    assert facts.readme_filename == "Readme.markdown"


def test_it_rejects_plain_tar():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w"):
        pass
    with pytest.raises(BadTarball, match="not gzip"):
        inspect(buffer.getvalue())


def test_it_rejects_gzip_that_is_not_tar():
    with pytest.raises(BadTarball, match="not a valid"):
        inspect(gzip.compress(b"hello, this is not a tar archive" * 40))


def test_it_reads_the_manifest_from_a_top_level_folder_of_any_name():
    """@types/ms@0.7.34 as the public registry serves it: everything under ms/, not package/
    (npm strips the first path component, whatever it is)."""
    facts = inspect(
        make_tarball(
            None,
            {
                "ms/LICENSE": b"MIT",
                "ms/README.md": b"# Installation",
                "ms/index.d.ts": b"export = ms;",
                "ms/package.json": b'{"name": "@types/ms", "version": "0.7.34"}',
            },
            folders=["ms"],
        )
    )
    assert facts.manifest == {"name": "@types/ms", "version": "0.7.34"}
    assert facts.file_count == 4
    assert facts.readme == "# Installation"
    assert facts.top_level_files == {"LICENSE", "README.md", "index.d.ts", "package.json"}


@pytest.mark.parametrize(
    "files",
    [
        {"package/lib/package.json": b"{}"},
        {"package.json": b"{}", "package/index.js": b"1"},
        {"package.json": b"{}"},
    ],
)
def test_it_requires_package_json_in_the_top_level_folder(files):
    with pytest.raises(BadTarball, match=r"no package\.json in its top-level folder"):
        inspect(make_tarball(None, files))


def test_it_refuses_more_than_one_top_level_folder():
    files = {"one/package.json": b'{"name": "x"}', "two/index.js": b"1"}
    with pytest.raises(BadTarball, match=r"more than one top-level folder \(one/, two/\)"):
        inspect(make_tarball(None, files))


def test_it_names_the_manifest_it_could_not_parse():
    with pytest.raises(BadTarball, match=r"ms/package\.json is not valid JSON"):
        inspect(make_tarball(None, {"ms/package.json": b"{nope"}))


def test_it_requires_a_json_object_manifest():
    with pytest.raises(BadTarball, match="JSON object"):
        inspect(make_tarball(None, {"package/package.json": b"[1]"}))


@pytest.mark.parametrize("name", ["/etc/passwd", "package/../../x", "..", "a\\..\\b"])
def test_it_rejects_escaping_paths(name):
    with pytest.raises(BadTarball, match="unsafe path"):
        inspect(with_member(tarfile.TarInfo(name)))


def test_it_rejects_links_out_of_the_package():
    link = tarfile.TarInfo("package/evil")
    link.type = tarfile.SYMTYPE
    link.linkname = "../../../etc/passwd"
    with pytest.raises(BadTarball, match="outside"):
        inspect(with_member(link))


def test_it_accepts_links_within_the_package():
    link = tarfile.TarInfo("package/lib/alias.js")
    link.type = tarfile.SYMTYPE
    link.linkname = "../index.js"
    assert inspect(with_member(link)).manifest["name"] == "x"


def test_it_rejects_an_oversized_manifest(monkeypatch):
    monkeypatch.setattr(tarball_module, "MAX_MANIFEST_BYTES", 10)
    with pytest.raises(BadTarball, match="too large"):
        inspect(make_tarball({"name": "x", "version": "1.0.0"}))


def test_it_rejects_archives_that_unpack_too_large(monkeypatch):
    monkeypatch.setattr(tarball_module, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(BadTarball, match="unpacks to more than"):
        inspect(make_tarball({"name": "x"}, {"package/big": b"\0" * 5000}))


def test_it_rejects_archives_with_too_many_entries(monkeypatch):
    monkeypatch.setattr(tarball_module, "MAX_ENTRIES", 3)
    files = {f"package/{i}.js": b"" for i in range(5)}
    with pytest.raises(BadTarball, match="more than 3 entries"):
        inspect(make_tarball({"name": "x"}, files))
