"""Images people upload (issue 12, item 7): refused by file size and by pixel count, read from the
header before anything is decoded, with a clear error on the form; what is kept is a smaller copy,
saved again without its metadata.

A 12,000 × 12,000 PNG is about 140 KB of compressed zeros but takes at least 144 MB once decoded
(one byte a pixel in grey, four in colour): it took the server from 260 MB to 1.9 GB."""

import importlib
import inspect
import io
import re
import struct
import zlib

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from carereview.core.authority import authority

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def png_header_only(width: int, height: int) -> bytes:
    """A real, valid grey PNG of width × height black pixels, built row by row so that the test
    never holds the decoded image: the file is tiny, the decoded image is not."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    squeeze = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte, then one byte a pixel
    idat = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def peak_rss_mb() -> int:
    with open("/proc/self/status") as status:
        found = re.search(r"VmHWM:\s+(\d+)", status.read())
        assert found is not None
        return int(found.group(1)) // 1024


def reset_peak_rss() -> None:
    # Linux: writing 5 to clear_refs sets the peak (VmHWM) back to what is in use now.
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def post_photo(client, content: bytes, name="me.png", content_type="image/png"):
    return client.post(
        reverse("core:profile"),
        {
            "phone": "01632 960001",
            "mobile": "",
            "email": "ian@example.org",
            "contact_by": "email",
            "photo": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def jpeg(width: int, height: int, **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, format="JPEG", **save)
    return out.getvalue()


def test_a_huge_png_is_refused_from_its_header_without_being_decoded(client, service):
    content = png_header_only(12_000, 12_000)
    assert len(content) < MB  # small to upload: only the pixel count gives it away
    client.force_login(service.iro)
    reset_peak_rss()
    before = peak_rss_mb()
    response = post_photo(client, content)
    grew = peak_rss_mb() - before
    assert grew < 100, f"the server grew by {grew} MB"
    assert response.status_code == 200
    page = response.content.decode()
    assert "The photo has too many pixels" in page and "at most 40 million pixels" in page
    assert "govuk-error-summary" in page
    service.iro.refresh_from_db()
    assert not service.iro.photo


def test_the_pixel_limit_is_a_setting_and_counts_width_times_height(client, service, settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "IMAGE_UPLOAD_MAX_PIXELS": 1_000_000}
    client.force_login(service.iro)
    for width, height, refused in [(1001, 1000, True), (1000, 1000, False), (4000, 200, False)]:
        for content, name in [
            (jpeg(width, height), "me.jpg"),
            (png_header_only(width, height), "me.png"),
        ]:
            response = post_photo(client, content, name=name)
            page = response.content.decode()
            said = f"too many pixels ({width:,} × {height:,} pixels)"
            assert (said in page) is refused, (width, height, name)
            assert response.status_code == (200 if refused else 302), (width, height, name)


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(client, service, settings):
    settings.CAREREVIEW = {**settings.CAREREVIEW, "IMAGE_UPLOAD_MAX_BYTES": 100 * 1024}
    client.force_login(service.iro)
    # Not an image at all: the size is what is reported, so nothing was opened first.
    response = post_photo(client, b"\x89PNG" + b"x" * 200 * 1024)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The photo must be 100 KB or smaller" in page
    assert "Upload a JPEG or PNG" not in page


def test_an_ordinary_large_photo_is_stored_smaller_the_right_way_up_without_metadata(
    client, service, settings
):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: the camera was turned; shown rotated 90° clockwise
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    content = jpeg(4000, 3000, exif=exif, quality=70)
    assert b"PhoneMaker" in content
    client.force_login(service.iro)
    assert post_photo(client, content, name="me.jpg", content_type="image/jpeg").status_code == 302
    service.iro.refresh_from_db()
    stored = service.iro.photo.open("rb").read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    side = authority().image_stored_max_side
    assert Image.open(io.BytesIO(stored)).size == (side * 3 // 4, side)  # upright: taller
    assert service.iro.photo.name.endswith(".jpg")


def test_every_uploaded_file_field_in_every_form_is_an_image_upload():
    """The one way an image comes in: any form field taking a file is `ImageUpload`, so the
    limits cannot be forgotten on a new form."""
    from carereview.core.images import ImageUpload

    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("carereview."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _, form in inspect.getmembers(module, inspect.isclass):
            # Form and ModelForm: the classes with declared fields (base_fields)
            if (
                not issubclass(form, (forms.Form, forms.ModelForm))
                or form.__module__ != module.__name__
            ):
                continue
            for name, field in form.base_fields.items():
                if isinstance(field, forms.FileField):
                    found.append(f"{form.__module__}.{form.__name__}.{name}")
                    assert isinstance(field, ImageUpload), found[-1]
    assert "carereview.portal.forms.ProfileForm.photo" in found
