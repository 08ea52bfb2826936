from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "carereview.synth"
    label = "synth"
