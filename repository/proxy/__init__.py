"""Proxy repositories' format-neutral core: everything a proxy does that no format knows.

- settings.py: `settings["proxy"]`, checked and typed; credentials write-only.
"""
