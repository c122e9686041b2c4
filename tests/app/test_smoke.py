def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] or "login" in response.headers["Location"]


def test_home_for_director(client, login_as):
    user = login_as("director")
    response = client.get("/")
    assert response.status_code == 200
    assert user.name in response.get_data(as_text=True)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
