"""What every started server tells the bench: its name, version, processes and endpoints."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import NpmTarget, PypiTarget


@dataclass
class Running:
    name: str
    version: str
    base_url: str
    roots: list[int]
    pypi: PypiTarget | None = None
    npm: NpmTarget | None = None
    # For the "largest process" RSS figure (Larder: its web workers only).
    is_worker: Callable[[str], bool] = field(default=lambda cmd: True)
    log: Path | None = None
