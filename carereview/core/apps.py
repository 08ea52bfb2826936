from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carereview.core"
    label = "core"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own decompression-bomb limit agrees with the upload limit (core/images.py), so
        # no image with more pixels is decoded anywhere in the process.
        Image.MAX_IMAGE_PIXELS = int(settings.CAREREVIEW["IMAGE_UPLOAD_MAX_PIXELS"])
