"""Generic files' answers to the core's Format contract: paths as given, natural order."""

import re

from repository.formats import Format

_NUMBERS = re.compile(r"(\d+)")


class GenericFormat(Format):
    name = "generic"
    label = "Generic"
    urlconf = "formats.generic.urls"
    package_template = "generic/package_usage.html"
    usage_template = "generic/repository_usage.html"

    def normalize_name(self, name: str) -> str:
        return name

    def version_key(self, version: str):
        """Natural order: 1.10 after 1.9, numbers compared as numbers."""
        return tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in _NUMBERS.split(version)
            if part
        )
