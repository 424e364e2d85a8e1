from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from buicasus.operations.health import check_health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the platform can serve, 503 otherwise; for load balancers and monitors."""
    health = check_health()
    return JsonResponse(
        {"status": "ok" if health.ok else "unavailable", "checks": health.checks},
        status=200 if health.ok else 503,
    )
