"""The npm registry protocol below /repository/<name>/, one module per group of endpoints."""
