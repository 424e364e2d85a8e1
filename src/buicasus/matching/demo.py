"""Demo needs for trying the matching: one from Latvia, one from Spain, each shared with other
countries' centres and with one recommendation from one of them. Fictional, marked `is_demo`
and "Demo" in their titles; loading again updates them in place."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from buicasus.core import vocabulary_fields as vf
from buicasus.matching.models import (
    Need,
    NeedShare,
    Notification,
    NotificationKind,
    Recommendation,
)
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.demo import DEMO_FILE
from buicasus.registry.models import Initiative, Organisation, Term
from buicasus.registry.reference import _read

NEEDS: list[dict[str, Any]] = [
    {
        "title": "Demo: young people outside work and education in Latgale",
        "language": "lv",
        "text": (
            "Latgalē daudzi jaunieši vecumā no 16 līdz 25 gadiem nemācās un nestrādā. "
            "Meklējam pārbaudītu pieeju, kā viņus atgriezt izglītībā vai darbā: individuāls "
            "atbalsts, praktiskas darba prasmes un sadarbība ar vietējiem darba devējiem. "
            "Risinājumu īstenotu sociālais uzņēmums kopā ar pašvaldību."
        ),
        "country": "LV",
        "region": "LV005",
        "author": "coordinator-lv",
        "policy_fields": ["employment", "education"],
        "esf_objectives": ["a", "f"],
        "target_groups": ["young-people", "inactive"],
        "budget": Decimal("120000"),
        "time_frame_months": 24,
        "legal_forms": ["social-enterprise", "municipality-region", "association-ngo"],
        "constraints_note": "Demo: ESF+ co-financing available from 2026.",
        "shared_with": ["ES", "SE"],
        "recommendation": {
            "country": "ES",
            "by": "editor-es",
            "initiative": "demo-i-es-1",
            "comment": (
                "Demo: their pathways combine individual support with employers, as you ask; "
                "the team offers to mentor a pilot in Latgale."
            ),
        },
    },
    {
        "title": "Demo: unwanted loneliness of older people in rural villages",
        "language": "es",
        "text": (
            "En los pueblos de Castilla y León muchas personas mayores viven solas y apenas "
            "salen de casa. Buscamos una iniciativa probada que reduzca la soledad no deseada "
            "con la participación de vecinos, voluntariado y servicios sociales municipales, "
            "con un presupuesto modesto."
        ),
        "country": "ES",
        "region": "ES41",
        "author": "editor-es",
        "policy_fields": ["health-social-care"],
        "esf_objectives": ["k"],
        "target_groups": ["older-people", "rural-population"],
        "budget": Decimal("40000"),
        "time_frame_months": 18,
        "legal_forms": ["association-ngo", "municipality-region"],
        "constraints_note": "",
        "shared_with": ["LV", "SE"],
        "recommendation": {
            "country": "LV",
            "by": "coordinator-lv",
            "initiative": "demo-i-lv-3",
            "comment": (
                "Demo: a community kitchen run by volunteers brings isolated older people "
                "together every week; cheap to start in small villages."
            ),
        },
    },
]


def _user(name: str) -> Any:
    return get_user_model().objects.filter(username=name).first()


def _terms(key: str, codes: list[str]) -> list[Term]:
    return list(Term.objects.filter(vocabulary__key=key, code__in=codes))


def _demo_initiative(ref: str) -> Initiative | None:
    source = _read(DEMO_FILE)["source"]
    return Initiative.objects.filter(source_name=source, source_record_id=ref).first()


@transaction.atomic
def load_demo() -> str:
    """Create or update the demo needs, their shares, recommendations and notifications."""
    needs = shares = recs = 0
    for row in NEEDS:
        author = _user(row["author"])
        need, _ = Need.objects.update_or_create(
            is_demo=True,
            title=row["title"],
            defaults={
                "text": row["text"],
                "language": row["language"],
                "country": Country.objects.get(code=row["country"]),
                "region": NutsRegion.objects.filter(code=row["region"]).first(),
                "organisation": Organisation.objects.filter(
                    country__code=row["country"], source_name=_read(DEMO_FILE)["source"]
                ).first(),
                "budget": row["budget"],
                "time_frame_months": row["time_frame_months"],
                "legal_forms": row["legal_forms"],
                "constraints_note": row["constraints_note"],
                "created_by": author,
            },
        )
        for f in vf.fields_of(vf.NEED):
            if f.many:
                getattr(need, f.name).set(_terms(f.vocabulary, row.get(f.name, [])))
        needs += 1
        for code in row["shared_with"]:
            NeedShare.objects.get_or_create(
                need=need,
                country=Country.objects.get(code=code),
                defaults={"shared_by": author, "message": "Demo"},
            )
            shares += 1
        spec = row["recommendation"]
        initiative = _demo_initiative(spec["initiative"])
        if initiative is None:
            continue
        rec, created = Recommendation.objects.update_or_create(
            need=need,
            initiative=initiative,
            country=Country.objects.get(code=spec["country"]),
            defaults={
                "comment": spec["comment"],
                "recommended_by": _user(spec["by"]),
                "is_demo": True,
            },
        )
        recs += 1
        if created and author is not None:
            Notification.objects.create(
                user=author, kind=NotificationKind.RECOMMENDED, need=need, recommendation=rec
            )
    return f"{needs} demo needs, {shares} shares, {recs} demo recommendations."
