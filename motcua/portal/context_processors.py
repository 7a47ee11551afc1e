from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.organizations.models import Unit


def province(request: HttpRequest) -> dict[str, str]:
    """Name the province this installation serves, and the site, for page headers and titles.

    Every page shows the name, so it is kept a while.
    """
    name = cache.get("province-name")
    if name is None:
        unit = Unit.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).only("name").first()
        name = unit.name if unit else ""
        if name:  # an installation still being set up has no province yet: look again on the next page
            cache.set("province-name", name, timeout=300)
    return {"province_name": name, "service_name": service_name(name)}


def service_name(province_name: str) -> str:
    """Return "Cổng dịch vụ công tỉnh …", the service's name closing every page title."""
    if not province_name:
        return _("Cổng dịch vụ công")
    # Inside a Vietnamese phrase the unit's type is written in lower case: "… công tỉnh Đồng Tháp".
    in_phrase = (
        province_name[0].lower() + province_name[1:] if (get_language() or "vi").startswith("vi") else province_name
    )
    return _("Cổng dịch vụ công %(province)s") % {"province": in_phrase}
