"""The census: the list of residents the residency verification checks against."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from brique.admin import census
from brique.admin.controllers import platform_admin_required
from brique.admin.site import census_salt, editable_site_settings
from brique.db import db
from brique.models import SiteSettings


def census_page(report: census.CensusReport | None = None, status: int = 200) -> object:
    return render_template(
        "admin/census.html",
        size=census.census_size(),
        imported_at=SiteSettings.get().census_imported_at,
        report=report,
    ), status


@platform_admin_required
def census_view() -> object:
    if request.method == "GET":
        return census_page()
    upload = request.files.get("census")
    if upload is None or not upload.filename:
        report = census.CensusReport(errors=[_("Choose the census file to upload.")])
        return census_page(report, 422)
    site = editable_site_settings()
    report = census.read_census(upload.read(), census_salt(site))
    if report.errors:
        db.session.rollback()
        return census_page(report, 422)
    census.replace_census(report.entries, site)
    flash(
        ngettext(
            "The census is imported: %(num)d person.",
            "The census is imported: %(num)d people.",
            len(report.entries),
        ),
        "success",
    )
    return redirect(url_for("admin.census"))


@platform_admin_required
def delete_census() -> object:
    if request.method == "POST":
        census.delete_census(editable_site_settings())
        flash(_("The census is deleted. Residency is now declared by participants."), "success")
        return redirect(url_for("admin.census"))
    return render_template("admin/census_delete.html", size=census.census_size())
