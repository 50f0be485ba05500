from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a development server. Sits above every other app; no app imports it."""

    name = "demo"
    verbose_name = "Demo data"
