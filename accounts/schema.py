"""How the OpenAPI schema describes the partner key (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.PartnerKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A partner's read-only key, sent as `Authorization: Api-Key <key>`. It reads the public "
                "data plus what its scopes grant for its poles. An unknown, revoked or expired key "
                "answers 401."
            ),
        }
