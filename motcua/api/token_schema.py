"""How the OpenAPI description names the token scheme: as DRF's tokens were, so that clients' configuration holds."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ExpiringTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # untyped base
    target_class = "motcua.api.tokens.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <token>`, token lấy từ POST /api/v1/auth/token. Token hết hạn sau "
                "MOTCUA_TOKEN_HOURS giờ (mặc định 12), khi đổi mật khẩu và khi gọi POST /api/v1/auth/logout."
            ),
        }
