from django.apps import AppConfig


class GenericConfig(AppConfig):
    name = "formats.generic"
    label = "generic"
    verbose_name = "Generic files"

    def ready(self) -> None:
        from formats.generic.format import GenericFormat
        from repository.formats import register

        register(GenericFormat())
