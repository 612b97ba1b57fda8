"""Platform admins brand the site: name, logo, a readable colour, welcome text."""

from io import BytesIO
from pathlib import Path

import pytest

from brique.admin.colours import contrast_with_white
from brique.models import SiteSettings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def admin_user(create_user):
    return create_user("admin", admin=True, locale="en")


def form(**changes):
    return {
        "name": "Ville d'Orléans",
        "primary_color": "#1f4e8c",
        "welcome_text": "Bienvenue **à tous**",
        **changes,
    }


def post(client, data):
    return client.post("/admin/branding", data=data, content_type="multipart/form-data")


def test_contrast_ratio_follows_wcag():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#ffffff"), 1) == 1.0
    assert round(contrast_with_white("#767676"), 2) == 4.54


def test_admin_saves_branding_shown_on_every_page(login, admin_user, db):
    client = login(admin_user)
    response = post(client, form(logo=(BytesIO(PNG), "logo.png")))
    assert response.status_code == 302
    site = db.session.get(SiteSettings, 1)
    assert (site.name, site.primary_color) == ("Ville d'Orléans", "#1f4e8c")
    assert site.logo.startswith("branding/") and site.logo.endswith(".png")
    home = client.get("/").get_data(as_text=True)
    assert "Ville d&#39;Orléans" in home
    assert client.get(f"/uploads/{site.logo}").data == PNG


def test_too_light_colour_is_refused_with_its_contrast(login, admin_user, db):
    response = post(login(admin_user), form(primary_color="#ffcc00"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="field-primary_color-error"' in html
    assert "contrast of 1.51 to 1" in html
    assert db.session.get(SiteSettings, 1) is None


@pytest.mark.parametrize("colour", ["red", "#fff", "#12345g"])
def test_malformed_colour_is_refused(login, admin_user, colour):
    assert post(login(admin_user), form(primary_color=colour)).status_code == 422


def test_svg_logo_is_refused(login, admin_user, db):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post(login(admin_user), form(logo=(BytesIO(svg), "logo.png")))
    assert response.status_code == 422
    assert "SVG images are not accepted" in response.get_data(as_text=True)
    assert db.session.get(SiteSettings, 1) is None


def test_logo_must_be_an_image_whatever_its_name(login, admin_user):
    response = post(login(admin_user), form(logo=(BytesIO(b"GIF89a..."), "logo.png")))
    assert response.status_code == 422
    assert "PNG, JPEG or WebP" in response.get_data(as_text=True)


def test_new_logo_replaces_the_old_file_and_can_be_removed(login, admin_user, db, app):
    client = login(admin_user)
    post(client, form(logo=(BytesIO(PNG), "a.png")))
    first = db.session.get(SiteSettings, 1).logo
    post(client, form(logo=(BytesIO(b"\xff\xd8\xff\xe0jpeg"), "b.jpg")))
    second = db.session.get(SiteSettings, 1).logo
    uploads = Path(app.config["UPLOAD_PATH"])
    assert second.endswith(".jpg") and not (uploads / first).exists()
    post(client, form(remove_logo="1"))
    assert db.session.get(SiteSettings, 1).logo is None
    assert not (uploads / second).exists()


def test_welcome_text_is_sanitised_markdown(login, admin_user):
    client = login(admin_user)
    post(client, form(welcome_text="**Hello** <script>alert(1)</script>"))
    html = client.get("/admin/branding").get_data(as_text=True)
    assert "&lt;script&gt;" in html  # shown escaped in the textarea
