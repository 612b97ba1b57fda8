"""The public profile page: a person's nickname, follows and public comments."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from brique.models import User
from brique.people.queries import follow_counts, person_named, public_comments
from brique.permissions import Decision, can


def show(nickname: str) -> Any:
    person = person_named(nickname)
    if person is None or person.deleted_at is not None:
        abort(404)
    if person.nickname != nickname:  # one address per person, whatever the case typed
        return redirect(url_for("people.show", nickname=person.nickname), code=301)
    if person.blocked_at is not None:
        return render_template("people/blocked.html", person=person, initials=initials(person))
    return render_template(
        "people/show.html",
        person=person,
        initials=initials(person),
        counts=follow_counts(person),
        comments=public_comments(current_user, person, request.args.get("page", 1, type=int)),
        is_me=current_user.is_authenticated and current_user.id == person.id,
        follow=follow_decision(person),
    )


def follow_decision(person: User) -> Decision:
    """Whether the person browsing may follow ``person``, as the follow button asks it."""
    return can(current_user, "follow", person)


def initials(person: User) -> str:
    """Up to two letters standing for the person where a picture would: "jean-luc" is "JL"."""
    parts = [part for part in re.split(r"[._\-\d]+", person.nickname) if part]
    letters = "".join(part[0] for part in parts[:2]) or person.nickname[:1]
    return letters.upper()
