from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from motcua.organizations.models import Unit


def province(request: HttpRequest) -> dict[str, str]:
    """Name the province this installation serves, for page headers: every page shows it, so it is kept a while."""
    name = cache.get("province-name")
    if name is None:
        unit = Unit.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).only("name").first()
        name = unit.name if unit else ""
        if name:  # an installation still being set up has no province yet: look again on the next page
            cache.set("province-name", name, timeout=300)
    return {"province_name": name}
