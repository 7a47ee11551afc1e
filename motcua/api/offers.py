"""What every aggregate's detail answer says a caller may do now: the domain's offers (`core.offers.Offer`), as
`available_actions` built them; and the guard of the endpoints only officials use."""

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from motcua.core.errors import NotPermittedError
from motcua.organizations.models import User


class LifecycleOfferSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the JSON key integrators read
    allowed = serializers.BooleanField()
    reason = serializers.CharField(source="refusal", help_text="Vì sao chưa thực hiện được; rỗng khi được phép")


def staff_only(request: Request, refusal: str) -> User:
    """The signed-in official, or `permission_denied` with the endpoint's reason for a citizen."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_citizen:
        raise NotPermittedError(refusal)
    return user
