"""Errors raised by domain code; the API turns them into problem+json with their stable code."""


class DomainError(Exception):
    """A rule of the domain was not met; `message` is Vietnamese and shown to the user as is."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermittedError(DomainError):
    code = "not_permitted"
    status = 403


class ConflictError(DomainError):
    code = "conflict"
    status = 409


class NotFoundError(DomainError):
    code = "not_found"
    status = 404
