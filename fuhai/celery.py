"""The Celery app. Tasks are thin wrappers that take ids and call one service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")

from fuhai.startup import load_settings_or_exit

load_settings_or_exit()

app = Celery("fuhai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
