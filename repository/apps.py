from django.apps import AppConfig


class RepositoryConfig(AppConfig):
    name = "repository"
    verbose_name = "Larder"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from repository.access import signals
        from repository.cache import invalidation

        invalidation.connect_signals()
        signals.connect_signals()
