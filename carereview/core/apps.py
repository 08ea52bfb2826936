from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class CoreConfig(AppConfig):
    name = "carereview.core"
    label = "core"

    def ready(self):
        from PIL import Image

        # The authority's settings (core.authority): importing it registers their system check
        # (carereview.E001), which reports an unsound CAREREVIEW at start-up.
        from carereview.core.authority import authority

        # Pillow's own decompression-bomb limit agrees with the upload limit (core/images.py), so
        # no image with more pixels is decoded anywhere in the process.
        try:
            Image.MAX_IMAGE_PIXELS = authority().image_upload_max_pixels
        except ImproperlyConfigured:
            pass  # the check says what is wrong; Pillow keeps its own limit meanwhile

        # URL keywords and the child they lead to (core.access; issue 12, item 3).
        from carereview.core.access import not_child_data

        not_child_data("holiday_id", "a bank holiday")

        # Background tasks log with their own id where no request's is set (core.logs).
        from carereview.core.logs import connect_task_signals

        connect_task_signals()

        # A change to the bank-holiday table, however saved, marks it changed for every process.
        from carereview.core import calendar  # noqa: F401
