"""Retention: what is kept, what is swept, and garbage collection of unreferenced blobs."""
