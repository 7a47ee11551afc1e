"""The refusals of a callback, each with its stable code; the API gives them as problem+json."""

from motcua.core.errors import ConflictError, DomainError, NotFoundError


class InvalidCallback(DomainError):
    code = "invalid"


class SignatureInvalid(DomainError):
    code = "payment_signature_invalid"
    status = 403


class UnknownOrder(NotFoundError):
    code = "payment_order_unknown"


class AmountMismatch(DomainError):
    code = "payment_amount_mismatch"
    status = 422


class Replayed(ConflictError):
    code = "payment_replayed"
