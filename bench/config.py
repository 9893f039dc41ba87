"""How big a run is: the full bench, or the quick one that only checks the harness."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    projects: int  # PyPI projects in all, the large ones included
    big_files: int  # files of the largest project (one wheel per version)
    mid_files: int  # files of the second largest project
    npm_versions: int  # versions of the large npm package
    small_file_mb: int  # the wheel whose download is measured at every concurrency
    huge_file_mb: int  # the wheel whose download is measured at low concurrency
    install_set: int  # packages in one `uv pip install`
    duration: float  # seconds per wrk point
    concurrencies: tuple[int, ...]
    huge_concurrencies: tuple[int, ...]
    repeats: int  # runs of each publish and install, the median reported


FULL = Scale(
    name="full",
    projects=500,
    big_files=2000,
    mid_files=300,
    npm_versions=2000,
    small_file_mb=5,
    huge_file_mb=100,
    install_set=30,
    duration=8,
    concurrencies=(1, 16, 64),
    huge_concurrencies=(1, 16),
    repeats=5,
)

QUICK = Scale(
    name="quick",
    projects=40,
    big_files=200,
    mid_files=30,
    npm_versions=200,
    small_file_mb=5,
    huge_file_mb=20,
    install_set=10,
    duration=3,
    concurrencies=(1, 16, 64),
    huge_concurrencies=(1,),
    repeats=1,
)
