"""Log in and out with Django auth, on a Chinese login page."""

from django.urls import reverse


def test_it_redirects_anonymous_users_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_the_login_page_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()


def test_it_shows_the_login_page_in_english_when_chosen(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_it_logs_in_with_username_and_password(client, staff):
    response = client.post(reverse("login"), {"username": "staff1", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_tells_a_wrong_password_in_chinese_and_keeps_the_username(client, staff):
    response = client.post(reverse("login"), {"username": "staff1", "password": "wrong"})
    body = response.content.decode()
    assert "请输入一个正确的" in body
    assert 'value="staff1"' in body


def test_it_logs_out_on_post(client, staff):
    client.force_login(staff)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_it_changes_the_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests", "new_password1": "Qiuju-2026-new", "new_password2": "Qiuju-2026-new"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Qiuju-2026-new")
