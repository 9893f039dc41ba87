"""What a bench run measured: plain records the report renders and the smoke tests build."""

from dataclasses import dataclass, field


@dataclass
class Point:
    """One wrk run: a scenario against one server at one concurrency."""

    scenario: str
    server: str
    concurrency: int
    requests: int
    seconds: float
    rps: float
    mb_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int = 0
    peak_rss_mb: float = 0.0
    peak_process_rss_mb: float = 0.0


@dataclass
class Timing:
    """Wall-clock seconds of repeated runs of one client action (publish, install)."""

    action: str
    server: str
    case: str
    seconds: list[float]

    @property
    def median(self) -> float:
        ordered = sorted(self.seconds)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass
class Load:
    """How long bulk loading one server took through its upload protocol."""

    server: str
    what: str
    count: int
    seconds: float
    concurrency: int


@dataclass
class Results:
    started: str
    host: str
    scale: str
    duration: float
    # Scenario key -> what it is, in words with this run's sizes.
    labels: dict[str, str] = field(default_factory=dict)
    machine: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    points: list[Point] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    # Server name -> (peak RSS summed over its processes, peak of its largest process), MB.
    rss: dict[str, tuple[float, float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def point(self, scenario: str, server: str, concurrency: int) -> Point | None:
        for point in self.points:
            if (point.scenario, point.server, point.concurrency) == (
                scenario,
                server,
                concurrency,
            ):
                return point
        return None

    def top_concurrency(self, scenario: str, server: str) -> Point | None:
        """The point at the highest concurrency measured for this scenario and server."""
        points = [p for p in self.points if (p.scenario, p.server) == (scenario, server)]
        return max(points, key=lambda p: p.concurrency, default=None)

    def timing(self, action: str, server: str, case: str) -> Timing | None:
        for timing in self.timings:
            if (timing.action, timing.server, timing.case) == (action, server, case):
                return timing
        return None
