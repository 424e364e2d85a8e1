"""Permission policies: one object per record type says who may see and change its records.

A policy is a list of *grants* per action ("view", "change", "manage" …). A grant is a rule a
reviewer can read: "a viewer of the record's country, when the record is approved", "the
record's creator, while they hold a role in its country", "anyone, when the record is
published and approved". The same grants are turned into

- a queryset filter (`filter`, `queryset`): lists, API, search, exports, network, admin;
- a check of one record (`allows`): detail pages, edits, per-object admin permissions;
- a check of plain values (`allows_values`): the search index, which stores only a record's
  country, publication and review state.

Because all three are evaluated from the one declaration, they cannot drift apart; the test
`tests/accounts/test_policies.py` checks them against each other on the role × country matrix.
Platform admins pass every grant of every policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.module_loading import autodiscover_modules

from buicasus.accounts.models import Role
from buicasus.accounts.permissions import RANK, ranks

M = TypeVar("M", bound=Model)
# What a grant asks of a record: the values at a path ("country", "participants__user").
Lookup = Callable[[str], list[Any]]


@dataclass(frozen=True)
class Grant:
    """One way to be allowed.

    - `role`: the user holds at least this role in a country found at `country` (a path from
      the record, "country" or "source_initiative__country"); with `country=None`, anywhere.
      No role: anyone, anonymous visitors included.
    - `where` / `unless`: the record's fields equal / differ from these values.
    - `user`: a path from the record that leads to the user ("created_by",
      "participants__user"): the user created the record, or takes part in it.
    """

    role: Role | None = None
    country: str | None = "country"
    where: Mapping[str, Any] = field(default_factory=dict)
    unless: Mapping[str, Any] = field(default_factory=dict)
    user: str | None = None

    def codes(self, user_ranks: Mapping[str | None, int]) -> list[str] | None:
        """Countries where the user holds the role; None when no role is needed."""
        if self.role is None:
            return None
        least = RANK[self.role]
        return sorted(c for c, r in user_ranks.items() if c and r >= least)

    def q(self, user: Any, user_ranks: Mapping[str | None, int], prefix: str) -> Q | None:
        """This grant as a filter, or None when it can grant nothing to this user."""
        q = Q()
        codes = self.codes(user_ranks)
        if codes is not None:
            if not codes:
                return None
            if self.country is not None:
                q &= Q(**{f"{prefix}{self.country}__code__in": codes})
        if self.user is not None:
            if not _signed_in(user):
                return None
            q &= Q(**{f"{prefix}{self.user}_id": user.pk})
        for name, value in self.where.items():
            q &= Q(**{f"{prefix}{name}": value})
        for name, value in self.unless.items():
            q &= ~Q(**{f"{prefix}{name}": value})
        return q

    def holds(self, user: Any, user_ranks: Mapping[str | None, int], lookup: Lookup) -> bool:
        """This grant on one record, whose values `lookup` reads."""
        codes = self.codes(user_ranks)
        if codes is not None:
            if not codes:
                return False
            if self.country is not None and not set(codes) & set(map(_code, lookup(self.country))):
                return False
        if self.user is not None:
            if not _signed_in(user) or user.pk not in lookup(f"{self.user}_id"):
                return False
        for name, value in self.where.items():
            if value not in lookup(name):
                return False
        return all(value not in lookup(name) for name, value in self.unless.items())

    def paths(self) -> Iterable[str]:
        if self.role is not None and self.country is not None:
            yield self.country
        if self.user is not None:
            yield self.user
        yield from self.where
        yield from self.unless


@dataclass(frozen=True)
class Policy(Generic[M]):
    """Who may do what with the records of `model`: action → grants (any one will do)."""

    model: type[M]
    grants: Mapping[str, Sequence[Grant]]

    def _grants(self, action: str) -> Sequence[Grant]:
        try:
            return self.grants[action]
        except KeyError:
            raise ValueError(f"{self.model.__name__} has no rule for {action!r}") from None

    def filter(self, user: Any, action: str = "view", prefix: str = "") -> Q:
        """A Q selecting the records `user` may `action`; `prefix` ("initiative__") applies it
        across a relation."""
        user_ranks = ranks(user)
        if None in user_ranks:
            return Q()
        result = Q(**{f"{prefix}pk__in": []})  # nothing, until a grant applies
        for grant in self._grants(action):
            q = grant.q(user, user_ranks, "" if self._to_many(grant) else prefix)
            if q is None:
                continue
            if not q:
                return Q()  # a grant without conditions: every record (an empty Q would vanish)
            if self._to_many(grant):
                # A path through a to-many relation would repeat rows: select by key instead.
                q = Q(**{f"{prefix}pk__in": self.model._default_manager.filter(q).values("pk")})
            result |= q
        return result

    def queryset(self, user: Any, action: str = "view") -> QuerySet[M]:
        return self.model._default_manager.filter(self.filter(user, action))

    def allows(self, user: Any, obj: M, action: str = "view") -> bool:
        """Whether `user` may `action` this record (the same grants as `filter`)."""
        return self.allows_values(user, lambda path: _walk(obj, path), action)

    def allows_values(self, user: Any, lookup: Lookup, action: str = "view") -> bool:
        user_ranks = ranks(user)
        if None in user_ranks:
            return True
        return any(g.holds(user, user_ranks, lookup) for g in self._grants(action))

    def _to_many(self, grant: Grant) -> bool:
        return any(_crosses_many(self.model, path) for path in grant.paths())


class RelationPolicy(Generic[M]):
    """A record linking two others (an initiative's role, a tie between organisations): seen
    when both ends are seen; any other action is managing its anchor (the first end)."""

    def __init__(self, model: type[M], ends: Mapping[str, Policy[Any]]) -> None:
        self.model = model
        self.ends = dict(ends)

    def filter(self, user: Any, action: str = "view", prefix: str = "") -> Q:
        q = Q()
        for path, policy, needed in self._ends(action):
            q &= policy.filter(user, needed, f"{prefix}{path}__")
        return q

    def queryset(self, user: Any, action: str = "view") -> QuerySet[M]:
        return self.model._default_manager.filter(self.filter(user, action))

    def allows(self, user: Any, obj: M, action: str = "view") -> bool:
        return all(
            policy.allows(user, getattr(obj, path, None), needed)
            for path, policy, needed in self._ends(action)
        )

    def _ends(self, action: str) -> list[tuple[str, Policy[Any], str]]:
        if action == "view":
            return [(path, policy, "view") for path, policy in self.ends.items()]
        path, policy = next(iter(self.ends.items()))
        return [(path, policy, "manage")]


AnyPolicy = Policy[Any] | RelationPolicy[Any]
_POLICIES: dict[type[Model], AnyPolicy] = {}


def register(policy: AnyPolicy) -> AnyPolicy:
    """Make `policy` the one `policy_for` returns for its model. Apps declare their policies
    in a `policies` module, which `policy_for` imports when first asked."""
    _POLICIES[policy.model] = policy
    return policy


def policy_for(model: type[Model] | Model) -> AnyPolicy:
    """The policy of a model (or of a record's model), declared in its app's `policies`."""
    cls: type[Model] = model if isinstance(model, type) else type(model)
    key = cls._meta.concrete_model or cls
    if key not in _POLICIES:
        autodiscover_modules("policies")
    try:
        return _POLICIES[key]
    except KeyError:
        raise LookupError(f"no permission policy for {cls.__name__}") from None


# --- reading records ---------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "pk", None))


def _code(value: Any) -> Any:
    return getattr(value, "code", value)


def _walk(obj: Any, path: str) -> list[Any]:
    """The values at a `__` path from `obj`, following to-many relations (their rows)."""
    current = [obj]
    for step in path.split("__"):
        found: list[Any] = []
        for item in current:
            value = getattr(item, step, None)
            if value is None:
                continue
            if hasattr(value, "all") and callable(value.all):
                found.extend(value.all())
            else:
                found.append(value)
        current = found
    return current


def _crosses_many(model: type[Model], path: str) -> bool:
    current: Any = model
    for step in path.split("__"):
        try:
            f = current._meta.get_field(step)
        except Exception:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        current = f.related_model
    return False
