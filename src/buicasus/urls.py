from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buicasus.api import api
from buicasus.operations.views import healthz


def _admin_title() -> str:
    # Both parts are already translated: ours, and Django's "Site administration".
    return gettext("BuiCaSuS: %(what)s") % {"what": gettext("Site administration")}


# The admin's titles in the reader's language, instead of "Django administration".
admin.site.site_header = admin.site.site_title = lazy(_admin_title, str)()
admin.site.index_title = _("Site administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("buicasus.accounts.urls")),
    path("import/", include("buicasus.importer.urls")),
    path("search/", include("buicasus.search.urls")),
    path("duplicates/", include("buicasus.dedup.urls")),
    path("export/", include("buicasus.interchange.urls")),
    path("map/", include("buicasus.maps.urls")),
    path("privacy/", include("buicasus.privacy.urls")),
    path("assessment/", include("buicasus.assessment.urls")),
    path("analysis/", include("buicasus.analysis.urls")),
    path("network/", include("buicasus.network.urls")),
    path("reports/", include("buicasus.reports.urls")),
    path("semantic/", include("buicasus.semantic.urls")),
    path("matching/", include("buicasus.matching.urls")),
    path("pilots/", include("buicasus.pilots.urls")),
    path("jobs/", include("buicasus.jobs.urls")),
    path("", include("buicasus.registry.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
