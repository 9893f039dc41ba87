"""The one way a generic request is refused: a status and a sentence the client can act on."""


class Refused(Exception):
    """Raised by any step of a request; the view turns it into the format's error response."""

    def __init__(self, status: int, message: str, *, allow: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        # For 405: the methods the target does accept (the Allow header).
        self.allow = allow
