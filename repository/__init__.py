"""Larder's Django project and format-neutral core."""

from repository.celery import app as celery_app

__all__ = ["celery_app"]
