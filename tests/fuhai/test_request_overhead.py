"""What every page pays before its own work: the session, the user and the memberships with the
bell in three reads, no write, and a menu that is not rebuilt on every page."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from issues.models.reminder import Notification, Reminder, ReminderKind
from residents.models.community import Role
from residents.scoping import SESSION_KEY
from tests.factories import MembershipFactory

#: A page with no reads of its own (the password form).
PLAIN = "password_change"


def notify(user, community, *, read=False):
    now = timezone.now()
    reminder = Reminder.objects.create(
        community=community,
        content_type=ContentType.objects.get_for_model(user),
        object_id=Reminder.objects.count() + 1,
        kind=ReminderKind.DUE_TODAY,
        due_at=now,
        title="到期",
        created_at=now,
    )
    return Notification.objects.create(reminder=reminder, recipient=user, read_at=now if read else None)


def test_it_serves_a_plain_page_with_the_session_the_user_and_the_memberships(staff_client):
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse(PLAIN))
    assert response.status_code == 200
    tables = [q["sql"].split(".", 1)[0] for q in queries.captured_queries]
    assert tables == ['SELECT "django_session"', 'SELECT "auth_user"', 'SELECT "residents_membership"'], tables


def test_it_writes_nothing_for_a_plain_page(staff_client):
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("home"))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert writes == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_it_counts_on_the_bell_only_the_unread_of_the_person_in_the_community_shown(
    client, staff, community, other_community, secretary
):
    MembershipFactory(user=staff, community=other_community, role=Role.STAFF)
    notify(staff, community)
    notify(staff, community, read=True)
    notify(staff, other_community)
    notify(staff, other_community)
    notify(secretary, community)
    client.force_login(staff)
    session = client.session
    session[SESSION_KEY] = community.pk
    session.save()
    assert client.get(reverse(PLAIN)).context["unread_notifications"] == 1
    session[SESSION_KEY] = other_community.pk
    session.save()
    assert client.get(reverse(PLAIN)).context["unread_notifications"] == 2


@pytest.mark.parametrize("prefix", ["", "/fuhai"])
def test_it_links_the_menu_under_the_address_the_site_is_served_at(staff_client, prefix):
    url = reverse(PLAIN)
    staff_client.get(url)  # the menu of the site at / is built first
    set_script_prefix(prefix + "/")  # as the WSGI handler does from SCRIPT_NAME
    try:
        response = staff_client.get(url)
    finally:
        set_script_prefix("/")
    assert response.status_code == 200
    assert f'href="{prefix}/issues/"' in response.content.decode()
    assert f'href="{prefix}/board/"' in response.content.decode()


def test_it_counts_the_bell_up_to_99_and_then_says_99_plus(client, staff, community):
    """Someone who never opens the bell: every page would count their years of unread reminders."""
    for _ in range(101):
        notify(staff, community)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(PLAIN))
    assert response.context["unread_notifications"] == 100
    (memberships,) = [q["sql"] for q in queries.captured_queries if "residents_membership" in q["sql"]]
    assert "LIMIT 100" in memberships
    assert '<span class="badge rounded-pill text-bg-warning">99+</span>' in response.content.decode()
    Notification.objects.filter(pk__in=Notification.objects.values("pk")[:2]).update(read_at=timezone.now())
    assert '<span class="badge rounded-pill text-bg-warning">99</span>' in client.get(reverse(PLAIN)).content.decode()
