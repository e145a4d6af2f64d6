"""Reminders are data, not delayed tasks: the one sweep.

Every item that can fall due keeps an indexed ``next_reminder_at``. The beat job calls
:func:`run_sweep` every minute. One query first asks every registered source (the 民情日记's
items and tasks, 12345 cases, the daily digest) and the outbox whether they have anything due;
an idle sweep ends there. A source with work claims its due rows a batch at a time through
:func:`claim_due` (``SELECT … FOR UPDATE SKIP LOCKED``), prepares each row's reminder in Python
and writes the whole batch at once (:func:`write_reminders`, :func:`advance`): one statement
that inserts the reminders ``ON CONFLICT DO NOTHING`` under the unique (item, kind, due time)
and, for the rows it really inserted, their notifications and deliveries; one ``UPDATE … FROM
unnest(…)`` moving every row's ``next_reminder_at`` on; all in the claim's transaction. So a
double beat, a retried task or two workers never send twice, and a Redis outage only delays
reminders: nothing is lost, because nothing waits in Redis.

Sources register themselves with :func:`reminder_source`, so the sweep imports no feature.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from issues.models.reminder import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderKind,
    ReminderSettings,
    memoized,
    sweep_memo,
)
from issues.reminders.delivery import deliver_pending, deliveries_waiting
from residents.models.community import Role
from residents.selectors import staff_of

log = logging.getLogger(__name__)

#: Rows claimed, prepared and written together: one transaction and a handful of queries each.
BATCH = 1000
#: A row whose reminder cannot be computed is pushed this far forward instead of stalling the loop.
BAD_ROW_DELAY = timedelta(hours=1)


@dataclass(frozen=True)
class _Source:
    order: int
    run: Callable[..., SweepResult]
    due: Callable[[datetime], Iterable[models.QuerySet]]


#: The registered sources by name.
_SOURCES: dict[str, _Source] = {}


def reminder_source(order: int, *, due: Callable[[datetime], Iterable[models.QuerySet]]) -> Callable:
    """Register ``fn(*, now, result)`` as a step of every sweep; lower ``order`` runs first.

    ``due(now)`` gives the querysets that have rows when the source has work (its due rows on
    their partial index): the sweep asks every source in one query and runs only those."""

    def register(fn: Callable[..., SweepResult]) -> Callable[..., SweepResult]:
        _SOURCES[f"{fn.__module__}.{fn.__qualname__}"] = _Source(order, fn, due)
        return fn

    return register


@dataclass
class SweepResult:
    claimed: int = 0
    created: int = 0
    delivered: int = 0
    failed: int = 0
    digests: int = 0
    pushed_forward: list[int] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)


@dataclass
class NewReminder:
    """A reminder a source wants written: what :func:`write_reminders` inserts at most once."""

    community_id: int
    subject: models.Model
    kind: str
    due_at: datetime
    title: str
    body: str
    link: str
    recipients: list
    to_group: bool = True


def run_sweep(*, now: datetime) -> SweepResult:
    """One pass: every source with something due, in order, then deliveries. What beat and
    `manage.py send_reminders` both call."""
    result = SweepResult()
    with sweep_memo():
        sources = sorted(_SOURCES.values(), key=lambda source: source.order)
        checks = [(source, queryset) for source in sources for queryset in source.due(now)]
        checks += [(None, queryset) for queryset in deliveries_waiting(now)]
        answers = any_rows([queryset for _source, queryset in checks])
        busy = {source for (source, _queryset), yes in zip(checks, answers, strict=True) if yes}
        for source in sources:
            if source in busy:
                try:
                    source.run(now=now, result=result)
                except Exception:  # one source's bug must not stop the others or the deliveries
                    name = f"{source.run.__module__}.{source.run.__qualname__}"
                    log.exception("reminder sweep: %s failed; the other sources and the deliveries go on", name)
                    result.failed_sources.append(name)
        if busy:  # a source that ran may have queued deliveries; None stands for those waiting
            deliver_pending(now=now, result=result)
    return result


def any_rows(querysets: list[models.QuerySet]) -> list[bool]:
    """Whether each queryset has a row, asked in one query: ``SELECT (SELECT id … LIMIT 1) IS
    NOT NULL, …``. A queryset ordered by its due column is read off its index whatever the
    planner's statistics say (right after a sweep they still count every row as due)."""
    parts, params, empty = [], [], []
    for queryset in querysets:
        empty.append(queryset.query.is_empty())
        if empty[-1]:
            continue
        if not queryset.query.order_by:
            queryset = queryset.order_by()  # not the model's default ordering: any row will do
        sql, query_params = queryset.values("pk")[:1].query.sql_with_params()
        parts.append(f"({sql}) IS NOT NULL")
        params.extend(query_params)
    if not parts:
        return [False] * len(querysets)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        answers = iter(cursor.fetchone())
    return [False if is_empty else bool(next(answers)) for is_empty in empty]


def claim_due(
    queryset: models.QuerySet,
    *,
    now: datetime,
    prepare: Callable[[models.Model], NewReminder | None],
    fields: tuple[str, ...],
    result: SweepResult,
    label: str,
    lock: tuple[str, ...] = ("self",),
    then: Callable[[list[models.Model]], None] | None = None,
    read: Callable[[datetime, int], list] | None = None,
) -> SweepResult:
    """The one claim loop, a batch at a time, each batch in one transaction: lock up to BATCH
    due rows with SKIP LOCKED; ``prepare(row)`` (plain Python, no queries) returns the row's
    reminder, if any, and sets the row's new ``fields``; then the batch's reminders are
    written together and its rows advanced with one UPDATE. A row that raises is pushed an
    hour forward; the rest of its batch goes on. ``lock`` names the tables locked with the
    claimed rows (a clock and its item: an item being edited is skipped until the next sweep);
    ``then(rows)`` writes what else the batch changed, in its transaction. ``read(now, limit)``,
    if given, claims the rows itself (the same lock, SKIP LOCKED, oldest due first) and returns
    plain objects with ``pk`` and ``fields`` instead of model instances, which cost more to
    make than all the rest of a row's reminder."""
    model = queryset.model
    while True:
        with sweep_memo(), transaction.atomic():
            if read:
                rows = read(now, BATCH)
            else:
                rows = list(
                    queryset.select_for_update(skip_locked=True, of=lock)
                    .filter(next_reminder_at__lte=now)
                    .order_by("next_reminder_at")[:BATCH]
                )
            ready, bad = [], []
            for row in rows:
                try:
                    ready.append((row, prepare(row)))
                except Exception:
                    log.exception("reminder sweep: %s %s pushed forward", label, row.pk)
                    bad.append(row.pk)
            bad += _write_batch(model, ready, fields, now=now, result=result, label=label, then=then)
            if bad:
                model.objects.filter(pk__in=bad).update(next_reminder_at=now + BAD_ROW_DELAY)
                result.pushed_forward.extend(bad)
            result.claimed += len(rows)
        if len(rows) < BATCH:
            return result


def _write_batch(model, ready: list, fields: tuple[str, ...], *, now: datetime, result: SweepResult, label: str, then):
    """Write the batch at once; should that fail, row by row, to find the row that breaks it.
    Returns the pks of the rows that failed."""
    try:
        with transaction.atomic():
            created = write_reminders([new for _row, new in ready if new], now=now)
            advance(model, [row for row, _new in ready], fields)
            if then:
                then([row for row, _new in ready])
        result.created += created
        return []
    except Exception:
        if len(ready) <= 1:
            log.exception("reminder sweep: %s %s pushed forward", label, ready[0][0].pk if ready else None)
            return [row.pk for row, _new in ready]
    failed = []
    for row, new in ready:
        try:
            with transaction.atomic():
                created = write_reminders([new] if new else [], now=now)
                advance(model, [row], fields)
                if then:
                    then([row])
            result.created += created
        except Exception:
            log.exception("reminder sweep: %s %s pushed forward", label, row.pk)
            failed.append(row.pk)
    return failed


def advance(model: type[models.Model], rows: list[models.Model], fields: tuple[str, ...]) -> None:
    """Store ``fields`` of every row as set in memory: one ``UPDATE … FROM unnest(…)`` on
    PostgreSQL (Django's ``bulk_update``, one CASE per column, elsewhere), never a save().

    One array a column, not a ``VALUES`` list, joined to the table through its primary key, row
    by row: planned freely, a thousand rows (of ``VALUES`` or of arrays alike) were hashed against
    the whole table read in (every clock of the district: at 112,000 clocks 25 ms of a 27 ms
    UPDATE, the probes by key 2 of 6; issue 15, P6). The planner costs each probe as a page read
    from disk, though the table is in memory: hash and merge joins are off for this statement
    alone (then reset: the rest of the batch's transaction, and the caller's, plan freely)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, fields)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    # The columns are ints and aware datetimes, which psycopg takes as they are: no per-value
    # get_db_prep_save (most of this function's Python time at 3,000 values a batch).
    params = [[row.pk for row in rows], *([getattr(row, column.attname) for row in rows] for column in columns[1:])]
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:])
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    aliases = ", ".join(quote(column.column) for column in columns)
    sql = f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v ({aliases}) WHERE {table}.{pk} = v.{pk}"
    with connection.cursor() as cursor:
        cursor.execute(_JOIN_BY_KEY)
        cursor.execute(sql, params)
        cursor.execute(_JOIN_FREELY)


#: Around :func:`advance`'s UPDATE: its arrays joined through the table's primary key, row by row.
_JOIN_BY_KEY = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off"
_JOIN_FREELY = "SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT"

#: Stands for the pk in a URL reversed once per sweep (:func:`link_to`).
_PK_MARK = 987654321987


def link_to(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])``, reversed once per sweep and filled in for each row of
    a batch (reversing costs more than all the rest of a row's reminder)."""
    head, _mark, tail = memoized(
        ("link", viewname), lambda: reverse(viewname, args=[_PK_MARK]).partition(str(_PK_MARK))
    )
    return f"{head}{pk}{tail}"


def label_of(kind: str) -> str:
    """The kind's translated name, looked up once per sweep."""
    return memoized(("label", kind), lambda: str(ReminderKind(kind).label))


def secretaries(community_id: int) -> list:
    """The community's secretaries: who hears of what has no owner, once per sweep."""
    return memoized(
        ("secretaries", community_id),
        lambda: list(staff_of(community_id, role=Role.SECRETARY)),
    )


_REMINDER_COLUMNS = ("community_id", "content_type_id", "object_id", "kind", "due_at", "title", "body", "link")


def write_reminders(new: list[NewReminder], *, now: datetime) -> int:
    """Write each reminder once, with its notifications and deliveries; returns how many are new.

    On PostgreSQL one statement (:func:`_write_at_once`): ``INSERT … ON CONFLICT DO NOTHING
    RETURNING`` of the reminders, and in the same statement the notifications and deliveries of
    only the rows it really inserted, so a reminder another worker wrote first notifies nobody
    a second time. Elsewhere the same in three statements a thousand reminders at a time."""
    keyed: dict[tuple, NewReminder] = {}
    content_types: dict[type, int] = {}
    for reminder in new:
        kind = type(reminder.subject)
        if kind not in content_types:  # cached by Django too, but a lookup a row costs
            content_types[kind] = ContentType.objects.get_for_model(reminder.subject).pk
        key = (content_types[kind], reminder.subject.pk, str(reminder.kind), reminder.due_at)
        keyed.setdefault(key, reminder)
    if not keyed:
        return 0
    if connection.vendor == "postgresql":
        return _write_at_once(keyed, now)
    created = []
    keys = list(keyed)
    for start in range(0, len(keys), 1000):
        created += _insert_reminders({key: keyed[key] for key in keys[start : start + 1000]}, now)
    notifications, deliveries = [], []
    for reminder_id, key in created:
        for channel, user in _recipients(keyed[key]):
            if channel is None:
                notifications.append(Notification(reminder_id=reminder_id, recipient=user))
            else:
                deliveries.append(
                    Delivery(reminder_id=reminder_id, channel=channel, recipient=user, next_attempt_at=now)
                )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(created)


def _recipients(reminder: NewReminder):
    """``(None, user)`` for each notification, then ``(channel, user or None)`` for each
    delivery: e-mail to every recipient with an address, the community's WeCom group robot if
    it has one and the reminder goes to the group."""
    yield from ((None, user) for user in reminder.recipients)
    yield from ((DeliveryChannel.EMAIL, user) for user in reminder.recipients if user.email)
    if reminder.to_group and ReminderSettings.rules_for(reminder.community_id).wecom_webhook_url:
        yield DeliveryChannel.WECOM, None


#: The unique key of a reminder, by which the rows an INSERT really made are found again.
_KEY = (("content_type_id", "integer"), ("object_id", "bigint"), ("kind", "text"), ("due_at", "timestamptz"))
_NEW = (("community_id", "bigint"), *_KEY, ("title", "text"), ("body", "text"), ("link", "text"))
_WHO = (*_KEY, ("recipient_id", "integer"))
_OUT = (*_KEY, ("channel", "text"), ("recipient_id", "integer"))


def _recordset(columns: tuple[tuple[str, str], ...], alias: str) -> str:
    """``json_to_recordset(%s::json) AS alias (name type, …)``: a batch of rows as one JSON
    parameter, parsed by the server as it reads it (a thousand rows of eight values inlined as
    constants cost the planner more than the inserts themselves)."""
    return f"json_to_recordset(%s::json) AS {alias} ({', '.join(f'{name} {kind}' for name, kind in columns)})"


def _json(rows: list[tuple], columns: tuple[tuple[str, str], ...]) -> str:
    names = [name for name, _kind in columns]
    return json.dumps([dict(zip(names, row, strict=True)) for row in rows], ensure_ascii=False, default=_iso)


def _iso(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{value!r} is not JSON serializable")


def _write_at_once(keyed: dict[tuple, NewReminder], now: datetime) -> int:
    """Reminders, notifications and deliveries in one statement: the reminders that the
    ``INSERT … ON CONFLICT DO NOTHING`` really inserted (its RETURNING, joined on the unique
    key) are the only ones given notifications and deliveries."""
    rows, notified, delivered = [], [], []
    for (content_type_id, object_id, kind, due_at), reminder in keyed.items():
        # The due time as text once for the reminder and all its recipients, not through
        # json.dumps' default= for every row that carries it.
        key = (content_type_id, object_id, kind, _iso(due_at))
        rows.append((reminder.community_id, *key, str(reminder.title)[:200], str(reminder.body), str(reminder.link)))
        for channel, user in _recipients(reminder):
            if channel is None:
                notified.append((*key, user.pk))
            else:
                delivered.append((*key, str(channel), user.pk if user else None))
    quote = connection.ops.quote_name
    key = ", ".join(name for name, _kind in _KEY)
    sql = (
        f"WITH made AS (INSERT INTO {quote(Reminder._meta.db_table)} "
        f"(community_id, {key}, title, body, link, created_at) SELECT new.*, %s FROM {_recordset(_NEW, 'new')} "
        f"ON CONFLICT DO NOTHING RETURNING id, {key}), "
        f"notified AS (INSERT INTO {quote(Notification._meta.db_table)} (reminder_id, recipient_id) "
        f"SELECT made.id, who.recipient_id FROM made JOIN {_recordset(_WHO, 'who')} USING ({key}) "
        "ON CONFLICT DO NOTHING), "
        f"delivered AS (INSERT INTO {quote(Delivery._meta.db_table)} "
        "(reminder_id, channel, recipient_id, status, attempts, next_attempt_at, last_error) "
        f"SELECT made.id, out.channel, out.recipient_id, %s, 0, %s, '' FROM made JOIN {_recordset(_OUT, 'out')} "
        f"USING ({key}) ON CONFLICT DO NOTHING) "
        "SELECT count(*) FROM made"
    )
    params = [now, _json(rows, _NEW), _json(notified, _WHO), str(DeliveryStatus.PENDING), now, _json(delivered, _OUT)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _insert_reminders(keyed: dict[tuple, NewReminder], now: datetime) -> list[tuple[int, tuple]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the (id, key) of the rows really inserted."""
    if not keyed:
        return []
    meta = Reminder._meta
    columns = [meta.get_field(name) for name in (*_REMINDER_COLUMNS, "created_at")]
    params = []
    for (content_type_id, object_id, kind, due_at), reminder in keyed.items():
        params += [reminder.community_id, content_type_id, object_id, str(kind), due_at]
        params += [reminder.title[:200], reminder.body, reminder.link, now]
    if connection.vendor != "postgresql":  # psycopg takes the values as they are; SQLite wants text
        prepared = zip(columns * len(keyed), params, strict=True)
        params = [column.get_db_prep_save(value, connection) for column, value in prepared]
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column.column) for column in columns)}) "
        f"VALUES {', '.join([row_sql] * len(keyed))} ON CONFLICT DO NOTHING "
        "RETURNING id, content_type_id, object_id, kind, due_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(pk, (content_type_id, object_id, kind, _aware(due))) for pk, content_type_id, object_id, kind, due in rows]


def _aware(value) -> datetime:
    """A timestamp as the database returns it (a string on SQLite, naive UTC without time zone support)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
