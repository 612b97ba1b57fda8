"""Platform admins upload the census; identifiers are kept only as salted hashes."""

from io import BytesIO

import pytest

from brique.authorizations import census_hash
from brique.models import CensusEntry, SiteSettings


@pytest.fixture
def admin_user(create_user):
    return create_user("admin", admin=True, locale="en")


def upload(client, text, encoding="utf-8"):
    data = {"census": (BytesIO(text.encode(encoding)), "census.csv")}
    return client.post("/admin/census", data=data, content_type="multipart/form-data")


def test_census_is_imported_as_salted_hashes(login, admin_user, db, clock):
    client = login(admin_user)
    response = upload(
        client, "identifier;postal_code;district\nzq 987;45400;Centre\nCD456;45000;\n"
    )
    assert response.status_code == 302
    salt = db.session.get(SiteSettings, 1).census_salt
    assert salt and len(salt) == 64
    entries = {entry.identifier_hash: entry for entry in db.session.query(CensusEntry)}
    assert set(entries) == {census_hash("ZQ987", salt), census_hash("cd456", salt)}
    assert entries[census_hash("ZQ987", salt)].district == "Centre"
    html = client.get("/admin/census").get_data(as_text=True)
    assert "ZQ987" not in html and "zq 987" not in html
    assert "<dd>2</dd>" in html
    assert db.session.get(SiteSettings, 1).census_imported_at == clock.now()


def test_comma_separated_windows_file_with_extra_columns_is_read(login, admin_user, db):
    text = "Nom,Identifier,Postal_Code\nLéa,X1,45400\nZoé,X2,45400\n"
    assert upload(login(admin_user), text, "cp1252").status_code == 302
    assert db.session.query(CensusEntry).count() == 2


def test_new_census_replaces_the_old_one_and_keeps_the_salt(login, admin_user, db):
    client = login(admin_user)
    upload(client, "identifier,postal_code\nA,1\nB,2\n")
    salt = db.session.get(SiteSettings, 1).census_salt
    upload(client, "identifier,postal_code\nC,3\n")
    assert [entry.postal_code for entry in db.session.query(CensusEntry)] == ["3"]
    assert db.session.get(SiteSettings, 1).census_salt == salt


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id;code\nA;1\n", "Line 1: the first line must name the columns"),
        ("identifier;postal_code\nA;45400\n;45400\n", "Line 3: the identifier is empty."),
        ("identifier;postal_code\nA;\n", "Line 2: the postal code is empty."),
        (
            "identifier;postal_code\nA;1\nb;2\na ;3\n",
            "Line 4: this identifier is already on line 2.",
        ),
        ("identifier;postal_code;district\nA;1\n", "Line 2: some columns are missing."),
        ("identifier;postal_code\n", "The file has no line after the header."),
        ("", "The file is empty."),
    ],
)
def test_bad_file_is_refused_with_line_numbers_and_nothing_changes(
    login, admin_user, db, text, message
):
    client = login(admin_user)
    upload(client, "identifier;postal_code\nKEEP;45400\n")
    response = upload(client, text)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert [entry.postal_code for entry in db.session.query(CensusEntry)] == ["45400"]


def test_many_problems_are_summarised(login, admin_user):
    text = "identifier;postal_code\n" + ";1\n" * 30
    html = upload(login(admin_user), text).get_data(as_text=True)
    assert "Line 21: the identifier is empty." in html
    assert "Line 22:" not in html
    assert "… and 10 more problems." in html


def test_binary_file_is_refused(login, admin_user):
    client = login(admin_user)
    data = {"census": (BytesIO(b"PK\x03\x04\x00\x00binary"), "census.xlsx")}
    response = client.post("/admin/census", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "This is not a CSV text file." in response.get_data(as_text=True)


def test_missing_file_is_refused(login, admin_user):
    response = login(admin_user).post("/admin/census", data={})
    assert response.status_code == 422
    assert "Choose the census file to upload." in response.get_data(as_text=True)


def test_admin_deletes_the_census(login, admin_user, db):
    client = login(admin_user)
    upload(client, "identifier,postal_code\nA,1\n")
    assert "1 person" in client.get("/admin/census/delete").get_data(as_text=True)
    client.post("/admin/census/delete")
    assert db.session.query(CensusEntry).count() == 0
    assert db.session.get(SiteSettings, 1).census_imported_at is None
    assert "No census is imported." in client.get("/admin/census").get_data(as_text=True)


def test_resident_on_the_uploaded_census_verifies(login, admin_user, dummy_user, db):
    upload(login(admin_user), "identifier;postal_code\nAB123;45400\n")
    client = login(dummy_user)
    response = client.post(
        "/account/verify/residency", data={"postal_code": "45400", "identifier": "ab123"}
    )
    assert response.status_code == 302
    refused = client.post(
        "/account/verify/residency", data={"postal_code": "45400", "identifier": "nobody"}
    )
    assert refused.status_code == 422
