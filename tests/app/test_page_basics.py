"""What every page carries: an icon (browsers ask for /favicon.ico and got a 404) and a skip link."""

from __future__ import annotations

from PIL import Image


def test_the_favicon_is_served_and_cached(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert "max-age=604800" in response.headers["Cache-Control"]
    response.direct_passthrough = False
    import io

    with Image.open(io.BytesIO(response.get_data())) as icon:
        assert icon.format == "ICO" and icon.size[0] >= 16
    response.close()


def test_pages_name_their_icon_and_start_with_a_skip_link(client, login_as):
    for page in (client.get("/login"), (login_as("director"), client.get("/"))[1]):
        html = page.get_data(as_text=True)
        assert 'rel="icon"' in html and "img/favicon.svg" in html
        body = html.split("<body>", 1)[1]
        first_link = body.split("<a ", 1)[1]
        assert first_link.startswith('class="skip-link" href="#contenido"')
        assert 'id="contenido"' in html
    svg = client.get("/static/img/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    svg.close()
