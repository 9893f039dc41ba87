"""The Celery app: Redis broker in production, a filesystem broker when embedded."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repository.settings")

app = Celery("larder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Retention keeps its tasks beside its code (repository/retention/tasks.py).
app.autodiscover_tasks(["repository.retention"])


def ensure_broker_dirs() -> None:
    """The filesystem transport needs its folders before any process connects: made by
    whichever process loads the app first (a web process, a worker, `larder serve`)."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


ensure_broker_dirs()
