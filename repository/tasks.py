"""Celery tasks of the core. They take primary keys and are safe to run twice."""
