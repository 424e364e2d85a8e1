from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from buicasus.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("buicasus.accounts.urls")),
    path("", include("buicasus.registry.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
