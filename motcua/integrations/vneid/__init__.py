"""VNeID sign-in (issue 20 b): the OpenID Connect relying party and the linking of accounts by the 12-digit ID.

`client` turns the provider's callback into a checked Identity and opens VNeID sessions; `linking` decides which
account an Identity opens, and confirms a link with a code; `signed_in_with_vneid` tells a page (online filing) that
the present session was opened through VNeID, which sets the dossier's TaiKhoanDuocXacThucVoiVNeID.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest

BACKEND = "motcua.integrations.vneid.client.VneidBackend"


def signed_in_with_vneid(request: HttpRequest) -> bool:
    """Tell whether the present session was opened by a VNeID sign-in (not by a password on a linked account)."""
    return bool(request.user.is_authenticated and request.session.get(BACKEND_SESSION_KEY) == BACKEND)
