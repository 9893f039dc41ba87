"""Why an upload was refused: a message for the uploader and a label for metrics."""


class UploadRejected(Exception):
    def __init__(self, message: str, label: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.label = label
        self.status = status
