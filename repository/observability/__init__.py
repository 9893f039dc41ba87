"""Health probes, metrics, request ids and log context."""
