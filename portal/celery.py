"""The portal's Celery application.

Tasks are Celery adapters defined in each app's ``tasks.py``; they take primitive ids and call one service.
With no ``CELERY_BROKER_URL`` configured, settings make every task run eagerly in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
