"""Repository layouts: flat paths, or name/version/file paths recorded as packages.

With the `name/version/file` layout, every upload to `<name>/<version>/<file...>` also
records the Package and Version, so retention and the UI treat generic builds like any
other package. The file part may have folders of its own (`tool/1.2.0/linux/tool.tgz`).
"""

from dataclasses import dataclass

from formats.generic.paths import RepoPath
from repository.refusals import Refusal

FLAT = "flat"
NAME_VERSION_FILE = "name/version/file"
LAYOUTS = (FLAT, NAME_VERSION_FILE)
MAX_VERSION_LENGTH = 128  # Version.version's column


@dataclass(frozen=True)
class Coordinates:
    name: str
    version: str


def clean_settings(settings: dict) -> dict:
    """The settings with a known layout, or ValueError naming the accepted ones."""
    layout = settings.get("layout", FLAT)
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
    return {**settings, "layout": layout}


def layout_of(settings: dict) -> str:
    return settings.get("layout", FLAT) if isinstance(settings, dict) else FLAT


def coordinates(settings: dict, path: RepoPath) -> Coordinates | None:
    """The package name and version a file path stands for; None for flat repositories.

    Raises a Refusal (400) when the repository has a layout and the path does not fit it.
    """
    if layout_of(settings) != NAME_VERSION_FILE:
        return None
    if len(path.segments) < 3:
        raise Refusal(
            400,
            f"this repository's layout is {NAME_VERSION_FILE}: upload to "
            f"<name>/<version>/<file>, not {path.text}",
        )
    name, version = path.segments[:2]
    if len(version) > MAX_VERSION_LENGTH:
        raise Refusal(400, f"the version is longer than {MAX_VERSION_LENGTH} characters")
    return Coordinates(name=name, version=version)
