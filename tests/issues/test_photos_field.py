"""Several photos chosen at once: the one that is not a photo is named, the others are not lost
from the message (issues.photos.PhotosField, used by activities, patrol and the items)."""

import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from issues.photos import PhotosField


def png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def fake(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 not a photo", content_type="image/jpeg")


def test_it_names_each_file_refused_among_several():
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as refused:
            PhotosField(required=False).clean([png("a.png"), fake("sheet.jpg"), png("b.png"), fake("scan.pdf")])
        messages = refused.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("“sheet.jpg”: ") and messages[1].startswith("“scan.pdf”: ")


def test_one_file_refused_alone_keeps_its_plain_message():
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as refused:
            PhotosField(required=False).clean([fake("sheet.jpg")])
        assert refused.value.messages == ["This file is not a photo (JPEG, PNG, GIF or WebP)."]


def test_it_takes_several_good_photos():
    assert len(PhotosField(required=False).clean([png("a.png"), png("b.png")])) == 2
