"""Domain errors: services raise them; views and the API answer them with a clear 400/403/409."""


class ClaimTrackerError(Exception):
    """A rule of the domain was broken; the message is shown to the user."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PermissionDeniedError(ClaimTrackerError):
    def __init__(self, message: str = "You are not allowed to do this.") -> None:
        super().__init__(message, code="permission_denied")


class ConflictError(ClaimTrackerError):
    """Someone else changed the object since it was loaded (optimistic locking)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")


class InvalidInputError(ClaimTrackerError):
    pass
