"""Two fictional demo pilots built on the registry's demo records (registry/fixtures/demo).

- Latvia: the Swedish "Demo Neighbourhood Lab" against loneliness, taken to the Latgale
  association "Biedrība Demo Kopā Varam" (phase plan, active; a demo user is a mentor).
- Spain: the French "Demo Digital Bridges for youth employment", taken to the "Consorcio Demo
  de Desarrollo Local Ribera Norte" (phase test, active).

Both are flagged `is_demo` and have "Demo" in their titles; people are fictional, e-mails at
example.org. Idempotent: records are found by their titles and created only when missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from buicasus.core import vocabulary_fields as vf
from buicasus.pilots.models import (
    Pilot,
    PilotAdaptation,
    PilotMilestone,
    PilotParticipant,
    PilotRisk,
    PilotSession,
)
from buicasus.reference.models import Country
from buicasus.registry.demo import DEMO_FILE
from buicasus.registry.models import Initiative, Organisation, Term

D = dt.date

PILOTS: list[dict[str, Any]] = [
    {
        "title": "Demo pilot: Neighbourhood Lab against loneliness in Daugavpils",
        "description": "Fictional demo pilot. A Latgale association adapts the Swedish living "
        "lab against involuntary loneliness of older people, mentored by its Swedish team.",
        "source": "demo-i-se-4",
        "source_org": "demo-o-se-5",
        "target_org": "demo-o-lv-2",
        "country": "LV",
        "strategy": "knowledge-transfer",
        "phase": "plan",
        "status": "active",
        "start": D(2026, 3, 2),
        "end": D(2027, 6, 30),
        "phases": {"diagnosis": D(2026, 3, 2), "strategy": D(2026, 5, 4), "plan": D(2026, 9, 1)},
        "readiness": {"viable_economic_model": True, "trigger": "traction"},
        "people": [
            ("mentor", "Demo mentor Karin Lindqvist", "demo-o-se-5", "karin@example.org"),
            ("mentee", "Demo mentee Inese Kalniņa", "demo-o-lv-2", "inese@example.org"),
            ("mentee", "Demo mentee Jānis Bērziņš", "demo-o-lv-2", ""),
        ],
        "user_mentor": "viewer-se",
        "sessions": [
            (
                D(2026, 3, 20),
                "Diagnosis: who is lonely in Daugavpils, and who already helps",
                "Mapping older people's needs with a housing company",
                "Visit Malmö in May",
            ),
            (
                D(2026, 5, 12),
                "Study visit to the Swedish lab; shared meals format",
                "Running co-creation workshops with older people",
                "Draft a Latgale strategy",
            ),
            (
                D(2026, 9, 15),
                "Plan: partners, budget, volunteers",
                "Budgeting a small-scale test",
                "Ask the municipality for a room",
            ),
        ],
        "milestones": [
            ("Diagnosis report agreed", D(2026, 4, 30), D(2026, 4, 28)),
            ("Partnership with the municipality signed", D(2026, 10, 15), None),
            ("First shared meals tested", D(2027, 2, 1), None),
        ],
        "adaptations": [
            (
                "strategy",
                "Meetings in Latvian and Russian, not only in the majority language.",
                "Many older people in Daugavpils speak Russian at home.",
            ),
            (
                "plan",
                "Meals hosted in a library instead of housing-company premises.",
                "Housing in Latgale is mostly privately owned flats without common rooms.",
            ),
        ],
        "risks": [
            (
                "Volunteers drop out over winter",
                "medium",
                "high",
                "Pair each volunteer with a back-up; small travel allowance.",
                "open",
            ),
            (
                "No municipal room available",
                "low",
                "medium",
                "Library and parish hall as alternatives.",
                "mitigated",
            ),
        ],
    },
    {
        "title": "Demo pilot: Digital Bridges for youth employment in Ribera Norte",
        "description": "Fictional demo pilot. A Spanish local-development consortium adapts the "
        "French design workshops that lead young people without qualifications into digital jobs.",
        "source": "demo-i-fr-2",
        "source_org": "demo-o-fr-1",
        "target_org": "demo-o-es-3",
        "country": "ES",
        "strategy": "duplication",
        "phase": "test",
        "status": "active",
        "start": D(2025, 10, 1),
        "end": D(2026, 12, 31),
        "phases": {
            "diagnosis": D(2025, 10, 1),
            "strategy": D(2025, 12, 1),
            "plan": D(2026, 2, 2),
            "test": D(2026, 5, 4),
        },
        "readiness": {"proven_impact": True, "viable_economic_model": True, "trigger": "pulsion"},
        "people": [
            ("mentor", "Demo mentor Camille Morel", "demo-o-fr-1", "camille@example.org"),
            ("mentor", "Demo mentor Yanis Haddad", "demo-o-fr-1", ""),
            ("mentee", "Demo mentee Lucía Navarro", "demo-o-es-3", "lucia@example.org"),
        ],
        "user_mentor": None,
        "sessions": [
            (
                D(2025, 10, 20),
                "Diagnosis: youth unemployment in the consortium's towns",
                "Reading local labour-market data",
                "List local employers",
            ),
            (
                D(2026, 1, 14),
                "Strategy: duplication with local employers",
                "Designing a workshop cycle",
                "Recruit the first group",
            ),
            (
                D(2026, 5, 20),
                "Test: first cohort of twelve young people",
                "Facilitating design sprints",
                "Placement agreements",
            ),
            (
                D(2026, 9, 9),
                "Test review: attendance and placements",
                "Measuring outcomes for ESF+ reporting",
                "Prepare generalisation plan",
            ),
        ],
        "milestones": [
            ("Employers' panel set up", D(2026, 1, 31), D(2026, 1, 29)),
            ("First cohort completed", D(2026, 7, 31), D(2026, 8, 5)),
            ("Outcome report to the managing authority", D(2026, 10, 31), None),
        ],
        "adaptations": [
            (
                "strategy",
                "Workshops in the evening and online for rural participants.",
                "Public transport between the consortium's towns is sparse.",
            ),
            (
                "test",
                "Placements in cooperatives as well as companies.",
                "Few digital companies in the area; social-economy employers are keen.",
            ),
        ],
        "risks": [
            (
                "ESF+ co-funding arrives late",
                "medium",
                "high",
                "Bridge loan from the consortium's budget.",
                "open",
            ),
            (
                "Too few placements",
                "medium",
                "medium",
                "Add cooperatives and the public sector.",
                "occurred",
            ),
        ],
    },
]


def _by_ref(model: type[Any], source: str, ref: str) -> Any:
    return model.objects.filter(source_name=source, source_record_id=ref).first()


def _load(spec: dict[str, Any], source: str) -> Pilot | None:
    initiative = _by_ref(Initiative, source, spec["source"])
    source_org = _by_ref(Organisation, source, spec["source_org"])
    target_org = _by_ref(Organisation, source, spec["target_org"])
    if initiative is None or source_org is None or target_org is None:
        return None
    pilot, _created = Pilot.objects.get_or_create(
        title=spec["title"],
        is_demo=True,
        defaults={
            "description": spec["description"],
            "source_initiative": initiative,
            "source_organisation": source_org,
            "target_organisation": target_org,
            "target_country": Country.objects.get(code=spec["country"]),
            "scaling_strategy": Term.objects.filter(
                vocabulary__key=vf.vocabulary_of(vf.PILOT, "scaling_strategy"),
                code=spec["strategy"],
            ).first(),
            "phase": spec["phase"],
            "status": spec["status"],
            "start_date": spec["start"],
            "end_date": spec["end"],
            "phase_started": {k: v.isoformat() for k, v in spec["phases"].items()},
            **spec["readiness"],
        },
    )
    people = []
    for role, name, org_ref, email in spec["people"]:
        person, _c = PilotParticipant.objects.get_or_create(
            pilot=pilot,
            role=role,
            name=name,
            defaults={"organisation": _by_ref(Organisation, source, org_ref), "email": email},
        )
        people.append(person)
    user = get_user_model().objects.filter(username=spec["user_mentor"] or "").first()
    if user is not None:
        PilotParticipant.objects.get_or_create(
            pilot=pilot, user=user, defaults={"role": "mentor", "organisation": source_org}
        )
    for held_on, topics, competences, next_steps in spec["sessions"]:
        session, created = PilotSession.objects.get_or_create(
            pilot=pilot,
            held_on=held_on,
            topics=topics,
            defaults={"competences": competences, "next_steps": next_steps},
        )
        if created:
            session.participants.set(people)
    for title, due, done in spec["milestones"]:
        PilotMilestone.objects.get_or_create(
            pilot=pilot, title=title, defaults={"due_on": due, "done_on": done}
        )
    for phase, change, reason in spec["adaptations"]:
        PilotAdaptation.objects.get_or_create(
            pilot=pilot,
            change=change,
            defaults={"phase": phase, "reason": reason, "recorded_on": spec["phases"][phase]},
        )
    for description, likelihood, impact, mitigation, status in spec["risks"]:
        PilotRisk.objects.get_or_create(
            pilot=pilot,
            description=description,
            defaults={
                "likelihood": likelihood,
                "impact": impact,
                "mitigation": mitigation,
                "status": status,
            },
        )
    return pilot


@transaction.atomic
def load_demo() -> str:
    """Create the demo pilots (after the registry's demo); a one-line summary."""
    source = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["source"]
    loaded = [p for p in (_load(spec, source) for spec in PILOTS) if p is not None]
    if not loaded:
        return "no demo pilots: load the registry's demo data first"
    sessions = PilotSession.objects.filter(pilot__in=loaded).count()
    countries = ", ".join(p.target_country.code for p in loaded)
    return f"{len(loaded)} demo pilots ({countries}), {sessions} sessions"
