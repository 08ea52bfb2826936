"""Images people upload (issue 12, item 7): the one form field for them, `ImageUpload`.

A picture's cost on the server is its pixels, not its file: a 12,000 × 12,000 PNG is about 140 KB
of compressed zeros and at least 144 MB once decoded. So an upload is checked in this order, and
refused with an error on the form at the first step it fails, before anything is decoded:

1. its size in bytes (`CAREREVIEW["IMAGE_UPLOAD_MAX_BYTES"]`);
2. its width and height, read by Pillow from the file's header (`Image.open` reads only that), and
   their product (`CAREREVIEW["IMAGE_UPLOAD_MAX_PIXELS"]`); Pillow's own decompression-bomb check
   is an error here too, never a warning;
3. its format (JPEG or PNG) and Pillow's `verify()` of the file's structure (Django's ImageField).

What is kept is `smaller_copy`: decoded (JPEG at a reduced scale where it can), turned the right way
up, at most `CAREREVIEW["IMAGE_STORED_MAX_SIDE"]` pixels a side, and saved again without its
metadata (a phone photo's EXIF can hold where it was taken).
"""

from __future__ import annotations

import io
import warnings

from django import forms
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

from carereview.core.authority import authority

FORMATS = {"JPEG": "jpg", "PNG": "png"}


def _size_in_words(size: int) -> str:
    """5242880 -> "5 MB", 102400 -> "100 KB" (whole numbers where they are whole)."""
    return str(filesizeformat(size)).replace("\xa0", " ").replace(".0 ", " ")


def _too_many_pixels(size: tuple[int, int] | None = None) -> forms.ValidationError:
    pixels = f" ({size[0]:,} × {size[1]:,} pixels)" if size else ""
    limit = authority().image_upload_max_pixels / 1_000_000
    return forms.ValidationError(
        f"The photo has too many pixels{pixels}. Choose a photo of at most {limit:g} million "
        "pixels, or make it smaller first",
        code="too_many_pixels",
    )


def limits_in_words() -> str:
    """The limits as a hint says them: "up to 5 MB and 40 million pixels"."""
    pixels = authority().image_upload_max_pixels / 1_000_000
    return (
        f"up to {_size_in_words(authority().image_upload_max_bytes)} and {pixels:g} million pixels"
    )


def header(upload) -> tuple[str | None, tuple[int, int]]:
    """(format, (width, height)) from the file's header, without decoding the pixels. Raises
    `ValidationError` when the file is not an image Pillow knows, or is a decompression bomb."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                return image.format, image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels() from None  # Pillow's own limit (core.apps): far too many
    except Exception:
        raise forms.ValidationError("Upload a JPEG or PNG photo", code="invalid_image") from None
    finally:
        upload.seek(0)


def check(upload) -> None:
    """Refuse `upload` by its size in bytes, then by its pixel count from the header."""
    max_bytes = authority().image_upload_max_bytes
    if upload.size > max_bytes:
        raise forms.ValidationError(
            f"The photo must be {_size_in_words(max_bytes)} or smaller", code="too_big"
        )
    fmt, (width, height) = header(upload)
    if width * height > authority().image_upload_max_pixels:
        raise _too_many_pixels((width, height))
    if fmt not in FORMATS:
        raise forms.ValidationError("Upload a JPEG or PNG photo", code="invalid_image")


def smaller_copy(upload) -> tuple[ContentFile, str]:
    """The photo as it is kept, and its file extension: at most IMAGE_STORED_MAX_SIDE pixels a
    side, the right way up, saved again without metadata. Only for an upload `check` passed."""
    check(upload)
    side = authority().image_stored_max_side
    upload.seek(0)
    with Image.open(upload) as opened:
        image: Image.Image = opened
        fmt = image.format
        assert fmt in FORMATS, "check() refuses any other format"
        # A JPEG decodes straight at a reduced scale (draft): the full image is never held.
        image.draft("RGB" if image.mode == "CMYK" else image.mode, (side, side))
        image.thumbnail((side, side))
        image = ImageOps.exif_transpose(image)  # the right way up, by its EXIF orientation
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.info.clear()
        out = io.BytesIO()
        image.save(out, format=fmt)  # nothing of the original's metadata is written
    return ContentFile(out.getvalue()), FORMATS[fmt]


class ImageUpload(forms.ImageField):
    """Django's ImageField, with `check` run first: a file too big or with too many pixels is
    refused before Pillow reads past its header. The help text says the size limit."""

    # A plain file input (GOV.UK's file upload): the form says itself how to remove a photo.
    widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png"})

    def to_python(self, data):
        if data in self.empty_values:
            return None
        check(data)
        return super().to_python(data)
