"""Fast inserts and updates for the import: `executemany` (SQLite) or COPY (PostgreSQL), with
values prepared once per column.

Django's `bulk_create` builds a model instance per row and prepares every value through its
field; at a million rows that alone costs more than our whole budget (about 9,000 rows/s for
organisations on SQLite against the 20,000 we need). Here a `Table` knows, per column, how to
adapt a Python value for the connection (JSON, dates, decimals) and the prepared default of
every column a row leaves out, including columns other apps add later, so a plain dict per
row becomes a tuple with no per-row model machinery.

Ids are allocated before inserting (`IdAllocator`), because `executemany` cannot return them:
PostgreSQL hands out sequence values (`nextval` over `generate_series`), SQLite takes the next
ids after both the table's highest id and its AUTOINCREMENT counter, which is safe because the
importer holds SQLite's write lock for the whole transaction (it writes its batch row first),
and keeps ids of deleted records from being reused, so their audit history never lands on a
new record.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

CHUNK = 5000
_MISSING = object()


class IdAllocator:
    """Hands out fresh primary keys for the tables one import writes to.

    PostgreSQL: sequence values (`nextval` over `generate_series`), safe among concurrent
    writers. SQLite: the first call per table reads the highest id and the AUTOINCREMENT
    counter, later calls count on in memory; this is safe because the import holds SQLite's
    write lock from before the first call until its commit, and nothing else in the run
    inserts into these tables.
    """

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.next: dict[str, int] = {}

    def __call__(self, model: type[models.Model], n: int) -> list[int]:
        if n <= 0:
            return []
        connection, table = self.connection, model._meta.db_table
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(table), model._meta.pk.column, n],
                )
                return [row[0] for row in cursor.fetchall()]
        if table not in self.next:
            self.next[table] = _highest_id(connection, model) + 1
        start = self.next[table]
        self.next[table] = start + n
        return list(range(start, start + n))


def _highest_id(connection: BaseDatabaseWrapper, model: type[models.Model]) -> int:
    """The highest id the table has had: its largest id, or SQLite's AUTOINCREMENT counter."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX({_q(connection, model._meta.pk.column)}) FROM {_q(connection, table)}"
        )
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            highest = max(highest, found[0] if found else 0)
    return int(highest)


def _q(connection: BaseDatabaseWrapper, name: str) -> str:
    return str(connection.ops.quote_name(name))


def _adapter(field: models.Field, connection: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda v: ops.adapt_json_value(v, encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda v: ops.adapt_decimalfield_value(v, digits, places)
    return None


def _tuple_builder(
    plan: list[tuple[str, Any, Callable[[Any], Any] | None]],
    constants: dict[str, Any],
) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A function turning a row dict into the column-ordered tuple: given values adapted,
    missing ones defaulted, `constants` (already adapted) the same for every row. Generated
    once per table (as `namedtuple` does), because a loop over the columns in Python costs
    more per row than the insert itself."""
    namespace: dict[str, Any] = {"M": _MISSING}
    parts = []
    for i, (attname, default, adapt) in enumerate(plan):
        namespace[f"d{i}"] = default
        if attname in constants:
            namespace[f"d{i}"] = constants[attname]
            parts.append(f"d{i}")
        elif adapt is None:
            parts.append(f"g({attname!r}, d{i})")
        else:
            namespace[f"a{i}"] = adapt
            given = f"(v{i} := g({attname!r}, M))"
            parts.append(f"(d{i} if {given} is M else (None if v{i} is None else a{i}(v{i})))")
    source = "def build(row):\n    g = row.get\n    return (" + ", ".join(parts) + ",)\n"
    exec(source, namespace)  # noqa: S102 - attnames come from the model, never from input
    return namespace["build"]  # type: ignore[no-any-return]


class Table:
    """Inserts, updates and deletes rows of one model's table, values keyed by attname."""

    def __init__(
        self,
        model: type[models.Model],
        connection: BaseDatabaseWrapper,
        now: Any = None,
        *,
        with_pk: bool = True,
        constants: dict[str, Any] | None = None,
    ) -> None:
        """`with_pk`: rows bring their allocated `id`; else the database numbers them.
        `constants`: values of columns that are the same in every row inserted."""
        self.model = model
        self.connection = connection
        self.name = _q(connection, model._meta.db_table)
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.adapters = {f.attname: _adapter(f, connection) for f in self.fields}
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            else:
                default = f.get_default()
            if isinstance(default, enum.Enum):  # TextChoices: the driver binds plain str faster
                default = default.value
            adapt = self.adapters[f.attname]
            self.defaults[f.attname] = adapt(default) if adapt and default is not None else default
        plan = [
            (f.attname, self.defaults.get(f.attname), self.adapters[f.attname]) for f in self.fields
        ]
        fixed = {
            k: (self.adapters[k](v) if self.adapters[k] and v is not None else v)  # type: ignore[misc]
            for k, v in (constants or {}).items()
        }
        self.as_tuple = _tuple_builder(plan, fixed)
        columns = ", ".join(_q(connection, f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.insert_sql = f"INSERT INTO {self.name} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {self.name} ({columns}) FROM STDIN"

    def insert(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows (each with its `id` already allocated); returns how many.

        PostgreSQL takes them with COPY, several times faster than `executemany` there; SQLite
        with `executemany`, which is its fastest path."""
        tuples = [self.as_tuple(r) for r in rows]
        if self.connection.vendor == "postgresql" and tuples:
            self.connection.ensure_connection()
            with self.connection.connection.cursor() as cursor:  # psycopg's own, for COPY
                with cursor.copy(self.copy_sql) as copy:
                    for values in tuples:
                        copy.write_row(values)
            return len(tuples)
        return self._many(self.insert_sql, tuples)

    def update(self, attnames: Sequence[str], rows: Iterable[tuple[int, dict[str, Any]]]) -> int:
        """`UPDATE … SET a=…, b=… WHERE id=…` for rows that all change the same columns."""
        by_name = {f.attname: f for f in self.fields}
        sets = ", ".join(f"{_q(self.connection, by_name[a].column)} = %s" for a in attnames)
        pk = _q(self.connection, self.model._meta.pk.column)
        sql = f"UPDATE {self.name} SET {sets} WHERE {pk} = %s"
        params = []
        for pk_value, values in rows:
            prepared = []
            for a in attnames:
                value, adapt = values[a], self.adapters[a]
                prepared.append(adapt(value) if adapt and value is not None else value)
            params.append((*prepared, pk_value))
        return self._many(sql, params)

    def delete_where_in(self, attname: str, values: Sequence[Any]) -> None:
        """`DELETE … WHERE column IN (…)`, in chunks that every backend accepts."""
        column = _q(self.connection, self.model._meta.get_field(attname).column)
        with self.connection.cursor() as cursor:
            for start in range(0, len(values), 900):
                part = list(values[start : start + 900])
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"DELETE FROM {self.name} WHERE {column} IN ({marks})", part)

    def _many(self, sql: str, params: list[tuple[Any, ...]]) -> int:
        if not params:
            return 0
        with self.connection.cursor() as cursor:
            for start in range(0, len(params), CHUNK):
                cursor.executemany(sql, params[start : start + CHUNK])
        return len(params)


def through_table(
    model: type[models.Model], name: str, connection: BaseDatabaseWrapper
) -> tuple[Table, str, str]:
    """The table of a many-to-many field, with its owner and target id attnames."""
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through  # type: ignore[union-attr]
    owner = m2m.m2m_field_name()  # type: ignore[union-attr]
    target = m2m.m2m_reverse_field_name()  # type: ignore[union-attr]
    table = Table(through, connection, with_pk=False)
    return table, f"{owner}_id", f"{target}_id"
