"""The JSON API at /api/v1 (django-ninja), with its OpenAPI document at /api/v1/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="BuiCaSuS API", version="1", urls_namespace="api")
