from django.apps import AppConfig


class PyPIConfig(AppConfig):
    name = "formats.pypi"
    label = "pypi"
    verbose_name = "PyPI"

    def ready(self) -> None:
        from formats.pypi.format import PyPIFormat
        from repository.formats import register

        register(PyPIFormat())
