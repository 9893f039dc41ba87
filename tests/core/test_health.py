def test_it_reports_liveness(client):
    response = client.get("/-/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_reports_ready_when_database_and_blob_store_answer(client, db):
    response = client.get("/-/ready")
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["blob_store"] == "ok"
