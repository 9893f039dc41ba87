"""The PyPI protocol's views: each parses, authorizes (by marker), calls a service, renders."""
