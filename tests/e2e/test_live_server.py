import json
import urllib.request


def test_it_serves_health_and_readiness_from_gunicorn(live):
    with urllib.request.urlopen(live.url + "/-/ready") as response:
        body = json.load(response)
    assert body["checks"] == {"database": "ok", "blob_store": "ok", "broker": "ok"}
