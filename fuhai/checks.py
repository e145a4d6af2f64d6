"""Deploy checks: the database and the broker must answer before we serve.

Run by `manage.py check --deploy` (the production start script does so), each failure is
one sentence saying what to fix.
"""

import redis
from django.conf import settings
from django.core.checks import Error, register
from django.db import connection


@register(deploy=True)
def database_reachable(app_configs, **kwargs):
    try:
        connection.ensure_connection()
    except Exception as exc:
        return [
            Error(
                f"The database in DATABASE_URL cannot be reached ({exc.__class__.__name__}): "
                "check host, port, user and password, and that PostgreSQL is running.",
                id="fuhai.E001",
            )
        ]
    return []


@register(deploy=True)
def broker_reachable(app_configs, **kwargs):
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return []

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except Exception as exc:
        return [
            Error(
                f"Redis at CELERY_BROKER_URL cannot be reached ({exc.__class__.__name__}): "
                "start Redis or correct CELERY_BROKER_URL.",
                id="fuhai.E002",
            )
        ]
    return []
