"""Row locks for state changes: the state a method checks is the state it changes."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def lock_and_refresh(instance: M) -> M:
    """Re-read ``instance``'s row with SELECT … FOR UPDATE (inside the caller's transaction) and
    copy the fresh values onto it, dropping cached relations so nothing stale is read after."""
    fresh = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    instance.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    instance._state.fields_cache = {}
    return instance
