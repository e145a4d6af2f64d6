"""Photos uploaded to the 民情日记, patrols and activities: one check, on the content.

Activities import this from issues (the layering allows it); residents, the lowest app, takes
no photos."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def check_photo(upload):
    """Size and type are checked on the content, not the file name."""
    if upload.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError(_("The photo is larger than 10 MB. Please send a smaller one."))
    try:
        image = Image.open(upload)
        image_format = image.format
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise forms.ValidationError(_("This file is not a photo (JPEG, PNG, GIF or WebP).")) from None
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise forms.ValidationError(_("This file is not a photo (JPEG, PNG, GIF or WebP)."))
    upload.seek(0)
    upload.content_type = Image.MIME.get(image_format, upload.content_type)
    return upload


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field, each checked; a required field needs at least one."""

    widget = MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [check_photo(super(PhotosField, self).clean(f, initial)) for f in files]
