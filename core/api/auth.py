"""Authentication for API operations: `auth=jwt_auth` requires a valid access token."""

from allauth.headless.contrib.ninja.security import JWTTokenAuth


class JWTBearerAuth(JWTTokenAuth):
    """allauth's JWT check (`jwt_token_auth`), described in the schema as a bearer token.

    allauth's own class calls itself an "apiKey" scheme without saying where the key goes,
    which is not valid OpenAPI and leaves Swagger UI's "Authorize" button unusable.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "JWT"


jwt_auth = JWTBearerAuth()
