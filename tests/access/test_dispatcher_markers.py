"""The dispatcher enforces each view's access marker before the view runs."""

from tests.access.conftest import basic, probe


def test_it_opens_public_views_to_anonymous_callers_of_private_repositories(call, private_repo):
    assert call("GET", probe(private_repo, "open")).status_code == 200


def test_it_treats_an_unmarked_view_as_a_read(call, reader, outsider, private_repo):
    assert call("POST", probe(private_repo, "unmarked")).status_code == 401
    assert call("POST", probe(private_repo, "unmarked"), basic(outsider)).status_code == 404
    assert call("POST", probe(private_repo, "unmarked"), basic(reader)).status_code == 200


def test_it_needs_a_deployer_for_writes(call, reader, deployer, public_repo):
    response = call("PUT", probe(public_repo, "write"), basic(reader))
    assert response.status_code == 403
    assert response.json() == {"probe_error": "you may not write to repository open-probe"}
    assert call("PUT", probe(public_repo, "write"), basic(deployer)).status_code == 200


def test_it_splits_reads_and_writes_by_method(call, reader, deployer, private_repo):
    url = probe(private_repo, "read-write")
    for method in ["GET", "HEAD", "OPTIONS"]:
        assert call(method, url, basic(reader)).status_code == 200, method
    for method in ["POST", "PUT", "PATCH", "DELETE"]:
        assert call(method, url, basic(reader)).status_code == 403, method
        assert call(method, url, basic(deployer)).status_code == 200, method


def test_it_answers_404_in_the_formats_words_for_an_unknown_path(call, reader, private_repo):
    response = call("GET", probe(private_repo, "no-such-view"), basic(reader))
    assert response.status_code == 404
    assert response.json() == {"probe_error": "not found"}


def test_it_does_not_reveal_unknown_paths_of_private_repositories(call, outsider, private_repo):
    assert call("GET", probe(private_repo, "no-such-view")).status_code == 401
    assert call("GET", probe(private_repo, "no-such-view"), basic(outsider)).status_code == 404


def test_it_answers_404_for_an_unknown_repository(call, reader, db):
    assert call("GET", "/repository/no-such-repo/read", basic(reader)).status_code == 404
