"""Photos uploaded to the 民情日记, patrols and activities: one check, on the content, and one
re-encoding, so what is stored is a plain picture under a name of our own.

Activities import this from issues (the layering allows it); residents, the lowest app, takes
no photos."""

from __future__ import annotations

import uuid
from io import BytesIO

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
THUMBNAIL_SIZE = (800, 800)
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}

# Pillow refuses outright what claims twice this; between one and two times it only warns,
# which check_photo turns into the same refusal. A 144-megapixel PNG can weigh 17 KB.
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS

NOT_A_PHOTO = _("This file is not a photo (JPEG, PNG, GIF or WebP).")


class CleanPhoto(ContentFile):
    """A photo re-encoded by Pillow: orientation applied, EXIF (GPS included) and every other
    piece of metadata dropped, a random name, and an 800-pixel thumbnail beside it."""

    def __init__(self, content: bytes, *, extension: str, content_type: str, thumbnail: bytes):
        stem = uuid.uuid4().hex
        super().__init__(content, name=f"{stem}.{extension}")
        self.content_type = content_type
        self.thumbnail = ContentFile(thumbnail, name=f"{stem}-thumb.{extension}")


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = BytesIO()
    if image_format == "PNG":
        image.save(buffer, "PNG")
    else:
        image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def check_photo(upload) -> CleanPhoto:
    """Size, type and pixel count are checked on the content, not the file name; the photo
    that passes is re-encoded (PNG for PNG, GIF and transparency, JPEG otherwise)."""
    if upload.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError(_("The photo is larger than 10 MB. Please send a smaller one."))
    too_big = forms.ValidationError(
        _("The photo has too many pixels (at most 40 megapixels). Please send a smaller one.")
    )
    try:
        upload.seek(0)
        image = Image.open(upload)
        source_format = image.format
        if source_format not in ALLOWED_IMAGE_FORMATS:
            raise forms.ValidationError(NOT_A_PHOTO)
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise too_big
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise forms.ValidationError(NOT_A_PHOTO) from None
    image.info = {}
    # Screenshots and drawings (PNG, GIF) stay lossless; camera photos become JPEG.
    image_format = "PNG" if has_alpha or source_format in ("PNG", "GIF") else "JPEG"
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return CleanPhoto(
        _encode(image, image_format),
        extension="png" if image_format == "PNG" else "jpg",
        content_type=f"image/{image_format.lower()}",
        thumbnail=_encode(thumbnail, image_format),
    )


def cleaned(photo) -> CleanPhoto:
    """What a service stores: a photo a form already checked, or one checked now."""
    return photo if isinstance(photo, CleanPhoto) else check_photo(photo)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field, each checked; a required field needs at least one."""

    widget = MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        photos, refused = [], []
        for upload in files:
            try:
                photos.append(check_photo(super().clean(upload, initial)))
            except forms.ValidationError as error:
                if len(files) == 1:
                    raise
                # Of several photos chosen at once, each one refused is named: 这不是照片文件 alone
                # left the office guessing which of eight to leave out.
                name = getattr(upload, "name", "")
                refused += [_("“%(name)s”: %(message)s") % {"name": name, "message": m} for m in error.messages]
        if refused:
            raise forms.ValidationError(refused)
        return photos
