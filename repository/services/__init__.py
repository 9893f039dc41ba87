"""Business operations shared by every format, each run inside the caller's transaction."""
