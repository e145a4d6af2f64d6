"""Residents, and the append-only log of every reveal of their personal numbers."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from residents import crypto
from residents.masking import mask_phone
from residents.models.community import Community, CommunityQuerySet
from residents.models.labels import ChoiceLabels
from residents.models.place import Room


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PopulationType(models.TextChoices):
    REGISTERED = "registered", _("Registered (户籍)")
    RESIDENT = "resident", _("Resident, not registered")
    FLOATING = "floating", _("Floating")
    FOREIGN = "foreign", _("Foreign")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other relative")


class ResidentQuerySet(CommunityQuerySet):
    def active(self) -> ResidentQuerySet:
        """Moved-out and deceased residents are kept, but not in active lists."""
        return self.filter(status=ResidentStatus.LIVING)

    def with_id_number(self, value: str) -> ResidentQuerySet:
        """Exact look-up by ID number through the keyed hash (the clear number is not stored)."""
        return self.filter(id_number_hash=crypto.lookup_hash(value))


# Surnames whose reading differs from the character's everyday reading (单 is Shan, not dan):
# pypinyin reads characters, not names, so the first character of a name is looked up here.
SURNAME_INITIALS = {
    "单": "s",
    "曾": "z",
    "解": "x",
    "仇": "q",
    "区": "o",
    "查": "z",
    "覃": "q",
    "翟": "z",
    "乐": "y",
    "秘": "b",
    "召": "s",
    "种": "c",
    "隗": "w",
    "繁": "p",
}


def name_initials(name: str) -> str:
    """The pinyin initials a search box finds a person by: ``单田芳`` → ``stf``."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER)
    if name and name[0] in SURNAME_INITIALS:
        letters[0] = SURNAME_INITIALS[name[0]]
    return "".join(letters).lower()[:20]


def pinyin_key(text: str) -> tuple[str, str]:
    """Sort Chinese names as a list on paper is sorted, by their pinyin (安贞, 北苑, 朝阳), not by
    code points (北苑, 安贞, 朝阳); the text itself breaks ties between same-sounding names."""
    return (" ".join(lazy_pinyin(text)).lower(), text)


def unhouse(collector, field, sub_objs, using) -> None:
    """A deleted room's residents keep living in the community without a room: SET_NULL, and
    their place in the list's order goes with it."""
    collector.add_field_update(field, None, sub_objs)
    collector.add_field_update(field.model._meta.get_field("place_key"), None, sub_objs)


class Resident(ChoiceLabels, models.Model):
    """A person living in (or registered at) the community. Never deleted: status changes."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="residents", verbose_name=_("community")
    )
    room = models.ForeignKey(
        Room, on_delete=unhouse, null=True, blank=True, related_name="residents", verbose_name=_("room")
    )
    # The room's building, unit and number as people count them (place.place_key), kept with the
    # room: the list is ordered by it through an index, not by joining every room and sorting.
    place_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=20, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    population_type = models.CharField(
        _("population type"), max_length=20, choices=PopulationType.choices, default=PopulationType.REGISTERED
    )
    status = models.CharField(_("status"), max_length=20, choices=ResidentStatus.choices, default=ResidentStatus.LIVING)
    emergency_contact = models.CharField(_("emergency contact"), max_length=100, blank=True)
    emergency_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)
    wechat_nickname = models.CharField(_("WeChat group nickname"), max_length=50, blank=True)
    relation = models.CharField(_("relation to head of household"), max_length=20, choices=Relation.choices, blank=True)
    # The ID number is never stored in clear: Fernet token, keyed hash for exact look-up, and
    # the masked form (first three, last four) so lists never need the key.
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name"]
        indexes = [
            # The list (a status, in place order) and its count; NULL keys (no room) come last.
            models.Index(fields=["community", "status", "place_key", "name", "id"], name="resident_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_initials = name_initials(self.name)
        fields = kwargs.get("update_fields")
        if fields is None or "room" in fields:
            self.place_key = self.room.place_key if self.room_id else None
            if fields is not None:  # the key is saved with the room it follows
                kwargs["update_fields"] = {*fields, "place_key"}
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_emergency_phone(self) -> str:
        return mask_phone(self.emergency_phone)

    def set_id_number(self, value: str) -> None:
        """Keep an ID number encrypted, hashed and masked (call save() afterwards)."""
        value = crypto.normalise_id_number(value)
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_number_hash = crypto.lookup_hash(value)
        self.id_number_masked = crypto.mask_id_number(value)

    def decrypted_id_number(self) -> str:
        """The full number: only for the logged reveal (services.reveal)."""
        return crypto.decrypt(self.id_number_encrypted)

    def age(self, today: date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class AccessField(models.TextChoices):
    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")
    EMERGENCY_PHONE = "emergency_phone", _("Emergency contact phone")
    HEALTH_NOTE = "health_note", _("Health note")
    EXPORT = "export", _("Unmasked export")


class AppendOnlyError(Exception):
    """An access record is evidence: it is never changed or deleted."""


class AccessLog(ChoiceLabels, models.Model):
    """Who revealed whose full ID or phone number or a visit's health note, which field, when and
    why. Append-only."""

    # Indexed by accesslog_comm_created, which starts with it.
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("community"), db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("resident")
    )
    field = models.CharField(_("field"), max_length=20, choices=AccessField.choices)
    reason = models.CharField(_("reason"), max_length=200)
    # What the number was read from when it is no resident's own field, e.g. an item's number.
    subject = models.CharField(_("about"), max_length=60, blank=True)
    # How many people an unmasked export contained.
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The secretary's review (AccessLogListView): a community's newest records, read off
            # the index and cut at the page, where the community_id index alone made PostgreSQL
            # read and sort every record of the community's years.
            models.Index(fields=["community", "-created_at", "-id"], name="accesslog_comm_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.resident} · {self.field}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access records cannot be deleted.")
