from django.apps import AppConfig


class RepositoryConfig(AppConfig):
    name = "repository"
    verbose_name = "Larder"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from repository import hotcache
        from repository.access import signals

        hotcache.connect_signals()
        signals.connect_signals()
