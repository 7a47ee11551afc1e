from django.conf import settings
from django.http import HttpRequest

from motcua.organizations.models import Unit


def province(request: HttpRequest) -> dict[str, str]:
    """Name the province this installation serves, for page headers."""
    unit = Unit.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).only("name").first()
    return {"province_name": unit.name if unit else ""}
