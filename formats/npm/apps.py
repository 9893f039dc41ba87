from django.apps import AppConfig


class NpmConfig(AppConfig):
    name = "formats.npm"
    label = "npm"
    verbose_name = "npm"

    def ready(self) -> None:
        from formats.npm.format import NpmFormat
        from repository.formats import register

        register(NpmFormat())
