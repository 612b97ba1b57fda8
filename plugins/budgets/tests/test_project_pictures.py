"""A project's picture: added with a description for screen readers, shown on its page,
replaced or removed; anything but a PNG, JPEG or WebP image is refused."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from brique.plugin_api import db
from brique_budgets.models import Project

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FORM = {"title": "Trees on the square", "cost": "40000", "feasibility": "feasible"}


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 100_000)


def projects_url(budget, path="new"):
    return f"/admin/components/{budget.component_id}/budgets/{budget.id}/projects/{path}"


def send(as_admin, url, picture=None, **fields):
    data = {**FORM, **fields}
    if picture is not None:
        data["image"] = (BytesIO(picture), "photo.png")
    return as_admin.post(url, data=data, content_type="multipart/form-data")


def stored(app, name):
    return Path(app.config["UPLOAD_PATH"], name)


def test_a_picture_is_added_with_its_description_and_shown_on_the_project_page(
    app, as_admin, budget
):
    response = send(as_admin, projects_url(budget), PNG, image_alt="Plane trees on the square")
    assert response.status_code == 303
    project = db.session.scalar(db.select(Project))
    assert project.image.startswith("budgets/") and stored(app, project.image).is_file()
    project.selected = True
    db.session.commit()
    space = budget.component.space
    page = as_admin.get(
        f"/processes/{space.slug}/c/{budget.component_id}/{budget.id}/projects/{project.id}"
    ).text
    assert 'alt="Plane trees on the square"' in page and project.image in page


def test_a_picture_needs_a_description(as_admin, budget):
    response = send(as_admin, projects_url(budget), PNG)
    assert response.status_code == 422 and "Describe the picture" in response.text
    assert db.session.scalar(db.select(Project)) is None


def test_what_is_not_an_image_is_refused_and_nothing_is_saved(as_admin, budget):
    response = send(as_admin, projects_url(budget), b"%PDF-1.4 not an image", image_alt="x")
    assert response.status_code == 422 and "Choose a PNG, JPEG or WebP image." in response.text
    assert db.session.scalar(db.select(Project)) is None


def test_a_picture_is_replaced_then_removed_and_its_files_deleted(app, as_admin, budget):
    send(as_admin, projects_url(budget), PNG, image_alt="First")
    project = db.session.scalar(db.select(Project))
    first = project.image
    edit = projects_url(budget, f"{project.id}/edit")
    send(as_admin, edit, PNG, image_alt="Second")
    db.session.expire_all()
    assert project.image != first and not stored(app, first).exists()
    second = project.image
    send(as_admin, edit, remove_image="1")
    db.session.expire_all()
    assert project.image == "" and not stored(app, second).exists()
