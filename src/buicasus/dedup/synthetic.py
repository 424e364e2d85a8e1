"""Synthetic organisations for the deduplication benchmark, resampled from the real open data.

Names, places and identifier schemes come from `../shared/data` (EU structural-fund
beneficiaries, the ESS France list, DSI4EU). Resampling alone would repeat every real name
twenty times at a million rows, which is not what a registry looks like, so each synthetic
organisation is a *new* name made of real parts (the head of one real name with the tail of
another, sometimes with a word of a third) in a real place. A known share is then copied
with the variations real sources show — legal form written differently or dropped, accents or
case lost, punctuation, an abbreviation, a truncated name, a typo, a SIRET or VAT number instead
of the SIREN — so the benchmark also measures how many of these planted duplicates are found.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from buicasus.config import PROJECT_ROOT
from buicasus.core.dedup import CANONICAL, OrgRecord, normalise_name

DATA = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
COUNTRIES = {"Spain": "ES", "France": "FR", "Sweden": "SE", "Latvia": "LV"}
LATVIAN_CITIES = ["Rīga", "Daugavpils", "Liepāja", "Jelgava", "Jūrmala", "Ventspils", "Valmiera"]
SWEDISH_CITIES = ["Stockholm", "Göteborg", "Malmö", "Umeå", "Luleå", "Örebro", "Kiruna"]
LEGAL = {
    "ES": ["S.L.", "SL", "S.A.", "SOCIEDAD LIMITADA", "Asociación", "ASOC.", "Fundación"],
    "FR": ["SARL", "SAS", "Association", "Assoc.", "SA"],
    "SE": ["AB", "Aktiebolag", "Ekonomisk förening", "Stiftelsen"],
    "LV": ["SIA", "Biedrība", "AS", "Nodibinājums"],
}


GENERIC = frozenset(CANONICAL.values())


@dataclass(frozen=True)
class Sources:
    """Real names and places per country."""

    names: dict[str, list[str]]
    places: dict[str, list[str]]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_sources(root: Path = DATA) -> Sources:
    """Distinct real names and places by country code (ES, FR, SE, LV)."""
    names: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    with (root / "eu-structural-funds-2016" / "operations.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["beneficiary"].strip()
            if name:
                names[row["country"]].add(name)
            town = re.match(r"(?:AYTO\.?|AYUNTAMIENTO DE|CONCELLO DE)\s*(.+)", name, re.I)
            if town and row["country"] == "ES":
                places["ES"].add(town.group(1).strip().title())
    with (root / "ess-france-numerique" / "ess_numerique_consolidated.csv").open(
        encoding="utf-8-sig"
    ) as f:
        for row in csv.DictReader(f):
            if row["denomination"]:
                names["FR"].add(row["denomination"].strip())
            if row["commune"]:
                places["FR"].add(row["commune"].strip().title())
    with (root / "dsi4eu-2017" / "organisations.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = COUNTRIES.get(row["country"])
            if code and row["name"]:
                names[code].add(row["name"].strip())
                if row["region"]:
                    places[code].add(row["region"].strip())
    places["LV"].update(LATVIAN_CITIES)
    places["SE"].update(SWEDISH_CITIES)
    return Sources(
        {k: sorted(v) for k, v in names.items()}, {k: sorted(v) for k, v in places.items()}
    )


def _identifier(country: str, rng: random.Random) -> tuple[str, str]:
    if country == "FR":
        return ("fr-siren", f"{rng.randrange(10**8, 10**9)}")
    if country == "ES":
        return ("es-nif", f"{rng.choice('ABFG')}{rng.randrange(10**7, 10**8)}")
    if country == "LV":
        return ("lv-reg", f"{rng.randrange(4 * 10**10, 5 * 10**10)}")
    return ("se-orgnr", f"{rng.randrange(10**9, 10**10)}")


def _new_name(country: str, sources: Sources, rng: random.Random) -> str:
    """The head of one real name with the tail of another, sometimes a word of a third; drawn
    again while it says nothing of its own ("Ayuntamiento de" + "S.L.")."""
    pool = sources.names[country]
    for _attempt in range(20):
        first, second = rng.choice(pool).split(), rng.choice(pool).split()
        words = first[: max(1, (len(first) + 1) // 2)] + second[len(second) // 2 :]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words) + 1), rng.choice(rng.choice(pool).split()))
        name = " ".join(words)
        own = [t for t in normalise_name(name, country).tokens if t not in GENERIC]
        if len(own) >= 2:
            break
    return name


def _variant(record: OrgRecord, rng: random.Random) -> OrgRecord:
    """The same organisation as another source would write it."""
    name = record.name
    change = rng.randrange(7)
    if change == 0:
        name = _strip_accents(name).upper()
    elif change == 1:
        name = f"{rng.choice(LEGAL[record.country])} {name}"
    elif change == 2:
        name = name.replace(" ", ", ", 1).lower().title()
    elif change == 3 and len(name) > 24:
        name = name[: len(name) * 3 // 4]
    elif change == 4:
        i = rng.randrange(1, max(2, len(name) - 1))
        name = name[:i] + name[i + 1 :]
    elif change == 5:
        name = name.replace("Asociación", "Asoc.").replace("Association", "Assoc.")
        name = f"{name} {rng.choice(LEGAL[record.country])}"
    identifiers: tuple[tuple[str, str], ...] = ()
    if record.identifiers and rng.random() < 0.6:
        # Another scheme for the same number (one value may be recorded once per scheme).
        scheme, value = record.identifiers[0]
        if scheme == "fr-siren":
            identifiers = (("fr-siret", f"{value}{rng.randrange(10**4, 10**5)}"),)
        elif scheme == "se-orgnr":
            identifiers = (("eu-vat", f"SE{value}01"),)
        else:
            identifiers = (("eu-vat", f"{record.country}{value}"),)
    city = record.city if rng.random() < 0.8 else ""
    return replace(record, name=name, identifiers=identifiers, city=city)


def generate(
    count: int, sources: Sources, *, duplicates: float = 0.03, seed: int = 2016
) -> Iterator[tuple[OrgRecord, int | None]]:
    """`count` records (ids from 1), each with the id of the record it duplicates, if any."""
    rng = random.Random(seed)
    countries = [c for c in ("ES", "FR", "SE", "LV") if sources.names.get(c)]
    weights = [len(sources.names[c]) for c in countries]  # as in the real data
    made: list[OrgRecord] = []
    for pk in range(1, count + 1):
        if made and rng.random() < duplicates:
            original = rng.choice(made)
            yield replace(_variant(original, rng), id=pk), original.id
            continue
        country = rng.choices(countries, weights)[0]
        record = OrgRecord(
            id=pk,
            name=_new_name(country, sources, rng),
            country=country,
            city=rng.choice(sources.places[country]) if rng.random() < 0.7 else "",
            identifiers=(_identifier(country, rng),) if rng.random() < 0.3 else (),
        )
        if len(made) < 200_000:
            made.append(record)
        elif rng.random() < 0.05:
            made[rng.randrange(len(made))] = record
        yield record, None
