"""Demo: the network app holds no records of its own (its figures are computed from the
registry), so loading the demo precomputes the public network of every country holding demo
organisations, and of all countries, so the demo's network pages open at once. Idempotent:
a snapshot is recomputed only when the registry changed."""

from __future__ import annotations

import yaml
from django.utils.translation import gettext as _

from buicasus.network import services
from buicasus.registry.demo import DEMO_FILE
from buicasus.registry.models import Organisation


def load_demo() -> str:
    source = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["source"]
    codes = sorted(
        set(
            Organisation.objects.filter(source_name=source, published=True)
            .values_list("country__code", flat=True)
            .distinct()
        )
    )
    summary = services.network_summary(None)
    for code in codes:
        services.network_summary(code)
    return _(
        "network computed for all countries and %(count)d countries: %(nodes)d organisations, "
        "%(edges)d links, %(communities)d communities."
    ) % {
        "count": len(codes),
        "nodes": summary.nodes,
        "edges": summary.edges,
        "communities": summary.community_count,
    }
