"""Other methods, and errors in the client's shape: text for curl, JSON when asked."""

from tests.generic.conftest import DEPLOYER


def test_it_answers_405_with_allow_to_other_methods(repo, client):
    response = client.generic("PATCH", "/repository/files/a.bin", HTTP_AUTHORIZATION=DEPLOYER)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, PUT, DELETE, OPTIONS"


def test_it_answers_options_with_what_a_file_and_a_folder_accept(repo, client):
    file = client.options("/repository/files/a.bin")
    folder = client.options("/repository/files/dir/")
    assert (file.status_code, folder.status_code) == (204, 204)
    assert "PUT" in file["Allow"] and "POST" not in file["Allow"]
    assert "POST" in folder["Allow"] and "PUT" not in folder["Allow"]


def test_it_answers_errors_as_plain_text_with_the_standard_reason(repo, get):
    response = get(repo, "missing.bin")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"404 not found: missing.bin\n"
    assert response.reason_phrase == "Not Found"


def test_it_answers_errors_as_json_when_asked(repo, get):
    response = get(repo, "missing.bin", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json() == {"error": "not found: missing.bin", "status": 404}


def test_it_answers_the_access_check_in_json_when_asked(private_repo, get):
    response = get(private_repo, "a.bin", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "authentication required"
    assert response["WWW-Authenticate"].startswith("Basic")
