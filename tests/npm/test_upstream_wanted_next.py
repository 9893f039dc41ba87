"""What an npm proxy reads ahead of a client: the registry packages `latest` depends on
and its tarball; never what names no registry package, an invalid name, a platform build,
or a version the client is not served."""

import json

from formats.npm.upstream import NpmUpstream

UPSTREAM = "https://registry.upstream.example/"


def _wanted(latest: dict, **document):
    versions = {"1.0.0": {"name": "app", "version": "1.0.0"}, "2.0.0": latest}
    body = {"name": "app", "dist-tags": {"latest": "2.0.0"}, "versions": versions, **document}
    reader = NpmUpstream()
    return reader.wanted_next(reader.parse("app", json.dumps(body).encode(), "", UPSTREAM))


def test_it_names_latests_registry_dependencies_and_its_tarball():
    wanted = _wanted(
        {
            "name": "app",
            "version": "2.0.0",
            "dependencies": {
                "ms": "^2.1.0",
                "@types/node": "*",
                "string-width-cjs": "npm:string-width@^4.2.0",
                "scoped-alias": "npm:@scope/real@1",
                "from-git": "git+https://git.example/x.git",
                "from-github": "user/repo",
                "local": "file:../local",
                "sibling": "workspace:*",
                "..": "1.0.0",
                "Capital": "1.0.0",
            },
            "optionalDependencies": {"@esbuild/linux-x64": "0.20.0"},
            "devDependencies": {"pytest-like": "1.0.0"},
            "peerDependencies": {"react": "*"},
        }
    )
    assert wanted.names == ("@scope/real", "@types/node", "ms", "string-width")
    assert wanted.paths == ("app/-/app-2.0.0.tgz",)


def test_a_latest_built_for_some_platforms_only_brings_no_tarball():
    wanted = _wanted({"name": "app", "version": "2.0.0", "os": ["linux"], "cpu": ["x64"]})
    assert wanted.paths == ()


def test_a_package_without_a_latest_it_serves_brings_nothing():
    wanted = _wanted({"name": "app", "version": "2.0.0"}, **{"dist-tags": {"latest": "9.9.9"}})
    assert (wanted.names, wanted.paths) == ((), ())
