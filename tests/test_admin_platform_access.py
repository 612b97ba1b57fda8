"""Who reaches the platform administration: staff see the dashboard, admins everything."""

import pytest

from brique.models import SpaceRole

PLATFORM_PAGES = [
    "/admin/users/",
    "/admin/scopes/",
    "/admin/scopes/new",
    "/admin/profile-fields/",
    "/admin/profile-fields/new",
    "/admin/census",
    "/admin/census/delete",
    "/admin/branding",
    "/admin/plugins",
]


@pytest.fixture
def admin_user(create_user):
    return create_user("admin", admin=True, locale="en")


@pytest.fixture
def space_admin(create_user, dummy_space, db):
    user = create_user("manager", locale="en")
    db.session.add(SpaceRole(space=dummy_space, user=user, role="admin"))
    db.session.commit()
    return user


@pytest.mark.parametrize("url", ["/admin/", *PLATFORM_PAGES])
def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


@pytest.mark.parametrize("url", ["/admin/", *PLATFORM_PAGES])
def test_participant_is_refused(login, dummy_user, url):
    assert login(dummy_user).get(url).status_code == 403


def test_space_admin_reaches_the_dashboard_with_their_spaces(login, space_admin, dummy_space):
    page = login(space_admin).get("/admin/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert dummy_space.title in html
    assert "Process administrator" in html
    assert "Recent sign-ups" not in html


def test_space_admin_menu_hides_platform_pages(login, space_admin):
    html = login(space_admin).get("/admin/").get_data(as_text=True)
    assert 'href="/admin/users/"' not in html
    assert 'href="/admin/branding"' not in html
    assert 'aria-current="page">Dashboard' in html


@pytest.mark.parametrize("url", PLATFORM_PAGES)
def test_space_admin_is_refused_platform_pages(login, space_admin, url):
    assert login(space_admin).get(url).status_code == 403


@pytest.mark.parametrize(
    "url", ["/admin/users/1/admin", "/admin/census", "/admin/branding", "/admin/scopes/new"]
)
def test_space_admin_cannot_post_to_platform_pages(login, space_admin, url):
    assert login(space_admin).post(url, data={}).status_code == 403


@pytest.mark.parametrize("url", ["/admin/", *PLATFORM_PAGES])
def test_platform_admin_reaches_every_page(login, admin_user, url):
    assert login(admin_user).get(url).status_code == 200


def test_platform_admin_menu_lists_every_platform_page(login, admin_user):
    html = login(admin_user).get("/admin/scopes/").get_data(as_text=True)
    for href in ("/admin/", "/admin/users/", "/admin/profile-fields/", "/admin/census"):
        assert f'href="{href}"' in html
    assert 'aria-current="page">Scopes' in html


def test_dashboard_counts_participants_and_spaces(login, admin_user, create_user, create_space):
    create_user("unconfirmed", confirmed=False)
    create_space("Draft one", published=False)
    create_space("Public one")
    html = login(admin_user).get("/admin/").get_data(as_text=True)
    assert '<strong class="figure">2</strong> participants' in html
    assert '<strong class="figure">1</strong> confirmed' in html
    assert '<strong class="figure">1</strong> published' in html
    assert '<strong class="figure">1</strong> draft' in html
    assert "unconfirmed" in html  # recent sign-ups


def test_deleted_account_cannot_enter(login, create_user, clock):
    user = create_user("gone", admin=True, deleted_at=clock.now())
    response = login(user).get("/admin/")
    assert response.status_code == 302


def test_dashboard_links_to_the_administration_of_each_space(login, space_admin, dummy_space):
    html = login(space_admin).get("/admin/").get_data(as_text=True)
    assert f'href="/processes/{dummy_space.slug}/"' in html
    assert f'href="/admin/processes/{dummy_space.slug}/"' in html


def test_dashboard_queries_do_not_grow_with_spaces_and_people(
    login, admin_user, create_space, create_user, count_queries
):
    client = login(admin_user)
    create_space()
    with count_queries() as one:
        client.get("/admin/")
    for _ in range(49):
        create_space()
        create_user()
    with count_queries() as fifty:
        client.get("/admin/")
    assert len(one) == len(fifty)


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("/admin/scopes/new", "Scopes"),
        ("/admin/profile-fields/new", "Profile fields"),
        ("/admin/census/delete", "Census"),
        ("/admin/users/1", "Users"),
        ("/admin/processes/", "Processes"),
    ],
)
def test_menu_marks_the_section_of_the_current_page(login, admin_user, url, entry):
    html = login(admin_user).get(url).get_data(as_text=True)
    menu = html[html.index('<nav class="admin-nav"') :].split("</nav>")[0]
    assert f'aria-current="page">{entry}</a>' in menu
    assert menu.count('aria-current="page"') == 1


# --- Moderation queues on the dashboard -----------------------------------------------------


def add_pending(db, space, count):
    from brique.models import Moderation

    for number in range(count):
        db.session.add(
            Moderation(
                target_type="comment",
                target_id=space.id * 100 + number,
                space_id=space.id,
                report_count=1,
                pending_count=1,
            )
        )
    db.session.commit()


def test_moderators_find_their_queue_and_what_waits_there_on_the_dashboard(
    login, create_user, create_space, dummy_space, db
):
    moderator = create_user("modo", locale="en")
    db.session.add(SpaceRole(space=dummy_space, user=moderator, role="moderator"))
    db.session.commit()
    add_pending(db, dummy_space, 2)
    add_pending(db, create_space("Elsewhere"), 1)
    html = login(moderator).get("/admin/").get_data(as_text=True)
    assert f'href="/admin/processes/{dummy_space.slug}/moderation/"' in html
    assert "2 waiting for review" in html
    assert "Elsewhere" not in html


def test_platform_admins_see_the_queues_where_content_waits(
    login, admin_user, create_space, dummy_space, db
):
    quiet = create_space("Quiet")
    add_pending(db, dummy_space, 1)
    html = login(admin_user).get("/admin/").get_data(as_text=True)
    assert f'href="/admin/processes/{dummy_space.slug}/moderation/"' in html
    assert f'href="/admin/processes/{quiet.slug}/moderation/"' not in html


def test_space_admins_without_reports_read_that_nothing_waits(login, space_admin, dummy_space):
    html = login(space_admin).get("/admin/").get_data(as_text=True)
    assert f'href="/admin/processes/{dummy_space.slug}/moderation/"' in html
    assert "nothing waiting for review" in html


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/admin/moderation/", "Moderation"),
        ("/admin/log", "Action log"),
        ("/admin/processes/{slug}/moderation/", "Processes"),
        ("/admin/processes/{slug}/log", "Processes"),
        ("/admin/processes/{slug}/statistics", "Processes"),
    ],
)
def test_the_menu_marks_the_section_of_the_page(login, admin_user, dummy_space, url, current):
    page = login(admin_user).get(url.format(slug=dummy_space.slug)).get_data(as_text=True)
    assert page.count('aria-current="page">') >= 1
    assert f'aria-current="page">{current}</a>' in page
