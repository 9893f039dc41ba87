"""Each server the bench measures, started on a free loopback port and always stopped.

Every module offers a context manager yielding a Running server; nothing outlives the block.
"""
