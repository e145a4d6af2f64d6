"""A deterministic parameter fuzzer: every URL pattern, as every role, with junk in the path, in
every query parameter the page reads and in every form field it shows or reads. No answer may be
a 500. Run with -s to see the request count."""

import functools
import random
import re
import time
from io import BytesIO

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_filters import FilterSet
from PIL import Image

from activities import services as activity_services
from issues import services as issue_services
from issues.hotline.services import log_case
from issues.models.task import BoardToken
from residents.models.community import Community, Role
from tests.factories import (
    ActivityFactory,
    BuildingFactory,
    CommendationFactory,
    CommunityFactory,
    DistributionFactory,
    MembershipFactory,
    NoticeFactory,
    ParticipationFactory,
    PartnerContactFactory,
    PartnerFactory,
    PatrolFactory,
    PatrolStopFactory,
    ResidentFactory,
    RoomFactory,
    SpecialStatusFactory,
    SupplyStockFactory,
    TaskFactory,
    UnitFactory,
    VisitFactory,
)

JUNK = [
    "",
    "x" * 5000,
    "\x00",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "99999-99-99",
    "2026-02-30T25:61",
    "1e309",
    "' OR 1=1 --",
    '<script>alert(1)</script>"><img src=x>',
    "１３８０ 王阿姨😀\u202e\uffff",
    "NaN",
]
# All at once in every parameter and field: a few that reach different code paths.
BURST = ["x" * 5000, "\x00", "abc", "99999999999999999999", "99999-99-99", '<script>alert(1)</script>"><img src=x>']
PATH_JUNK = ["2147483648", "abc", "99999-99-99", "%00"]
# The secretary reaches every form; the other roles get a plain look and one junk request each.
LIGHT_ROLES = {"staff": 2, "grid": 1, "viewer": 2, "outsider": 1, "anonymous": 1}
SKIPPED = {"logout"}  # it would end the session the next requests run in
# URL name (or its first word) → model label, where the naming convention does not say it.
MODELS = {
    "issues:hotline": "issues.HotlineCase",
    "issues:patrol_stop": "issues.PatrolStop",
    "issues:category": "issues.IssueCategory",
    "issues:notification": "issues.Notification",
    "activities:volunteer": "activities.Participation",
    "activities:participation_volunteer": "activities.Activity",
    "activities:participation_checkin": "activities.Activity",
    "activities:participation_search": "activities.Activity",
    "activities:participation_walkin": "activities.Activity",
    "activities:participation_signup": "activities.Activity",
    "activities:participation_checkin_resident": "activities.Activity",
    "activities:activityphoto_create": "activities.Activity",
    "residents:specialstatus_create": "residents.Resident",
    "residents:resident_reveal": "residents.Resident",
    "board_task": "issues.Task",
    "board_link": "issues.BoardToken",
    "community_switch": "residents.Community",
}
TV_TOKEN = ["x"]
SCOPES = ("community", "issue__community", "activity__community", "partner__community", "patrol__community")


def _patterns(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else (p.name or "")


def _model_for(name: str):
    for key in (name, name.rsplit("_", 1)[0], name.split("_")[0]):
        if key in MODELS:
            return apps.get_model(MODELS[key])
    app, _, rest = name.partition(":")
    try:
        return apps.get_model(app, rest.split("_")[0])
    except (LookupError, ValueError):
        return None


def _real_pk(model, community):
    if model is None:
        return 1
    if model is Community:
        return community.pk
    for scope in SCOPES:
        try:
            found = model.objects.filter(**{scope: community}).order_by("pk").first()
        except Exception:
            continue
        return found.pk if found else 1
    return 1


def _real_value(converter: str, kwarg: str, name: str, community):
    if kwarg == "resident_pk":
        return str(_real_pk(apps.get_model("residents.Resident"), community))
    if converter == "int":
        if kwarg in ("year", "month"):
            return str(timezone.localdate().year if kwarg == "year" else timezone.localdate().month)
        return str(_real_pk(_model_for(name), community))
    values = {
        "day": timezone.localdate().isoformat(),
        "token": TV_TOKEN[0],
        "field": "id_number",
        "step": "accept",
        "figure": "open",
    }
    return str(values.get(kwarg, "x"))


def _fill(route: str, values) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values(m.group(1) or "str", m.group(2)), route)


class Reads:
    """The keys a view reads from request.GET and request.POST, recorded while it runs."""

    def __init__(self, monkeypatch):
        self.keys = set()
        for method in ("get", "__getitem__", "getlist", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._recording(original))

    def _recording(self, original):
        def read(qd, key, *args, **kwargs):
            self.keys.add(key)
            return original(qd, key, *args, **kwargs)

        return read


def _forms_in(response):
    found = {}
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in filter(None, contexts):
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, FilterSet):
                    value = value.form
                if isinstance(value, BaseFormSet):
                    found.update(_fields(value.management_form))
                    for form in value.forms:
                        found.update(_fields(form))
                elif isinstance(value, forms.BaseForm):
                    found.update(_fields(value))
    return found


def _fields(form):
    return {form.add_prefix(name): field for name, field in form.fields.items()}


@functools.cache
def _bomb() -> bytes:
    """A small PNG whose header claims 30000×30000 pixels."""
    buffer = BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return buffer.getvalue()


def _junk_files() -> list:
    bomb = BytesIO(_bomb())
    return [
        SimpleUploadedFile("poly.html", b"<script>alert(1)</script>", "text/html"),
        SimpleUploadedFile("bomb.png", bomb.getvalue(), "image/png"),
        SimpleUploadedFile("half.png", bomb.getvalue()[:60], "image/png"),
    ]


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    """One of each thing a page can show, in 福海佳园, and a member of every role."""
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", "a2V5LWZvci1mdWhhaS10ZXN0cy1vbmx5LTMyYnl0ZXM=")
    settings.MEDIA_ROOT = tmp_path / "media"
    community = CommunityFactory(name="福海佳园")
    roles = {
        name: MembershipFactory(community=community, role=role, user__username=name).user
        for name, role in [("secretary", Role.SECRETARY), ("staff", Role.STAFF), ("grid", Role.GRID)]
    }
    roles["viewer"] = MembershipFactory(community=community, role=Role.VIEWER, user__username="street").user
    roles["outsider"] = MembershipFactory(role=Role.SECRETARY, user__username="outsider").user
    roles["anonymous"] = None
    secretary, now = roles["secretary"], timezone.now()
    room = RoomFactory(unit=UnitFactory(building=BuildingFactory(community=community, number="3"), number="2"))
    resident = ResidentFactory(community=community, name="王秀英", room=room)
    resident.set_id_number("11010519491231002X")
    resident.save()
    SpecialStatusFactory(resident=resident)
    VisitFactory(community=community, recorded_by=secretary, residents=[resident])
    SupplyStockFactory(community=community)
    DistributionFactory(community=community, room=room, recorded_by=secretary)
    contact = PartnerContactFactory(partner=PartnerFactory(community=community))
    issue_services.ensure_default_categories(community)
    issue = issue_services.log_issue(community=community, by=secretary, now=now, text="3-2-501楼道灯坏了")
    issue_services.log_issue(
        community=community,
        by=secretary,
        now=now,
        text="5号楼门口堆了纸箱",
        settle={"method": "to_property", "partner": contact.partner, "partner_contact": contact, "due_at": None},
    )
    log_case(
        community=community,
        by=secretary,
        now=now,
        case_no="2026120100001",
        dispatched_at=now,
        text="楼上漏水",
        request_type="complaint",
    )
    TaskFactory(community=community, assignee=secretary)
    PatrolFactory(community=community, staff=roles["grid"])
    PatrolStopFactory(community=community)
    _row, token = BoardToken.create_link(community=community, label="会议室电视", by=secretary, now=now)
    photo = lambda: SimpleUploadedFile("p.png", _png(), "image/png")  # noqa: E731
    issue_services.add_followup(issue, by=secretary, now=now, kind="photo", photos=[photo()])
    activity = ActivityFactory(community=community, organiser=secretary)
    ParticipationFactory(activity=activity)
    activity_services.add_photos(activity, by=secretary, photos=[photo()])
    CommendationFactory(community=community, photo=photo())
    NoticeFactory(community=community)
    return community, roles, token


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_it_never_answers_500_to_any_url_role_or_junk(demo, monkeypatch):
    community, roles, tv_token = demo
    rng = random.Random(14)
    reads = Reads(monkeypatch)
    TV_TOKEN[0] = tv_token
    clients = {}
    for role, user in roles.items():
        clients[role] = Client(raise_request_exception=False)
        if user is not None:
            clients[role].force_login(user)
    failures, count = [], 0
    started = time.monotonic()

    def send(role, method, path, data=None):
        nonlocal count
        count += 1
        reads.keys.clear()
        client = clients[role]
        # Each request in its own savepoint, as each is its own transaction in production: a
        # database error in one must not abort the test's transaction for all that follow.
        savepoint = transaction.savepoint()
        response = client.get(path, data or {}) if method == "GET" else client.post(path, data or {})
        # 500 only: /healthz answers 503 on purpose when beat has been silent.
        if response.status_code != 500:
            transaction.savepoint_commit(savepoint)
        else:
            transaction.savepoint_rollback(savepoint)
            error = getattr(response, "exc_info", None)
            failures.append(f"{method} {path} as {role} {str(data)[:120]!r}: {error[1]!r}" if error else path)
        return response, set(reads.keys)

    patterns = [(route, name) for route, name in _patterns() if name not in SKIPPED]
    for route, name in patterns:
        is_admin = route.startswith("admin/")
        real = _fill(route, lambda conv, kwarg, n=name: _real_value(conv, kwarg, n, community))
        for role in ("secretary",) if is_admin else roles:
            response, read = send(role, "GET", real)
            if is_admin:
                continue
            fields = _forms_in(response)
            if role != "secretary":
                if read and LIGHT_ROLES[role] > 1:
                    send(role, "GET", real, {key: rng.choice(JUNK) for key in read})
                send(role, "POST", real, {key: rng.choice(JUNK) for key in (set(fields) | read)})
                continue
            # junk in every query parameter the page read, all at once, then one by one
            for junk in BURST if read else []:
                send(role, "GET", real, {key: junk for key in read})
            for key in sorted(read):
                send(role, "GET", real, {key: rng.choice(JUNK)})
            # junk in every form field shown and every POST key the view read
            _, posted = send(role, "POST", real, {})
            keys = sorted((set(fields) | posted | read) - {"csrfmiddlewaretoken"})
            for junk in BURST if keys else []:
                send(role, "POST", real, {key: junk for key in keys})
            for key in keys:
                field = fields.get(key)
                if isinstance(field, forms.FileField):
                    for upload in _junk_files()[:2]:
                        send(role, "POST", real, {key: upload})
                else:
                    send(role, "POST", real, {key: rng.choice(JUNK), **{k: "1" for k in keys if k != key}})
        if "<" in route and not is_admin:
            for junk in PATH_JUNK:
                send("secretary", "GET", _fill(route, lambda conv, kwarg, j=junk: j))
            send("secretary", "POST", _fill(route, lambda conv, kwarg: "abc"), {"note": "x"})
    seconds = time.monotonic() - started
    print(
        f"\nfuzz: {count} requests over {len(patterns)} URL patterns in {seconds:.0f} s, {len(failures)} answered 500"
    )
    assert not failures, "\n".join(failures[:40])
