"""Integrity holds under parallel requests: the database decides, not check-then-insert."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from brique.models import User

PARALLEL = 8


def post_in_parallel(app, requests):
    """Send ``(path, data, session_id)`` requests from separate threads and clients."""

    def send(request):
        path, data, session_id = request
        client = app.test_client()
        if session_id:
            with client.session_transaction() as session:
                session["_user_id"] = session_id
        with app.app_context():
            return client.post(path, data=data).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, requests))


def test_parallel_sign_ups_with_one_address_create_one_account(app, db):
    data = {"email": "same@example.org", "password": "long enough password", "accept_terms": "1"}
    requests = [("/signup", {**data, "nickname": f"twin{n}"}, None) for n in range(PARALLEL)]
    statuses = post_in_parallel(app, requests)
    count = db.session.scalar(
        select(func.count()).select_from(User).where(User.email == "same@example.org")
    )
    assert count == 1
    assert statuses.count(302) == 1 and statuses.count(422) == PARALLEL - 1


def test_parallel_notes_from_one_participant_keep_one_note(
    app, db, dummy_space, create_component, dummy_user
):
    from brique_tiny.models import Note

    component = create_component(
        dummy_space, "tiny", step_settings={dummy_space.steps[1]: {"notes_open": True}}
    )
    path = f"/processes/{dummy_space.slug}/c/{component.id}/notes"
    requests = [(path, {"title": f"note {n}"}, dummy_user.get_id()) for n in range(PARALLEL)]
    post_in_parallel(app, requests)
    notes = db.session.scalar(
        select(func.count()).select_from(Note).where(Note.author_id == dummy_user.id)
    )
    assert notes == 1


def test_parallel_sign_ups_with_one_nickname_in_any_case_create_one_account(app, db):
    nicknames = ["Camille", "camille", "CAMILLE", "cAmIlLe"] * (PARALLEL // 4)
    requests = [
        (
            "/signup",
            {
                "email": f"camille{n}@example.org",
                "nickname": nickname,
                "password": "long enough password",
                "accept_terms": "1",
            },
            None,
        )
        for n, nickname in enumerate(nicknames)
    ]
    statuses = post_in_parallel(app, requests)
    count = db.session.scalar(
        select(func.count()).select_from(User).where(func.lower(User.nickname) == "camille")
    )
    assert count == 1
    assert statuses.count(302) == 1


def test_parallel_scopes_with_one_code_create_one_scope(app, db, admin_user):
    from brique.models import Scope

    requests = [
        ("/admin/scopes/new", {"name": f"Quartier {n}", "code": "q-nord"}, admin_user.get_id())
        for n in range(PARALLEL)
    ]
    statuses = post_in_parallel(app, requests)
    assert db.session.scalar(select(func.count()).select_from(Scope)) == 1
    assert statuses.count(302) == 1 and statuses.count(422) == PARALLEL - 1
