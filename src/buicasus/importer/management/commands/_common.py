"""What the import commands share: choosing the acting user, printing a report."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import gettext as _

from buicasus.importer.engine import ImportReport
from buicasus.importer.services import default_user


def acting_user(username: str | None) -> Any:
    """`--user NAME`, else a platform admin; refuse when there is neither."""
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named “%(name)s”.") % {"name": username})
        return user
    user = default_user()
    if user is None:
        raise CommandError(
            _("There is no platform admin to import as; name the importing user with --user.")
        )
    return user


def print_report(out: OutputWrapper, report: ImportReport, limit: int) -> None:
    """Counts, then each problem as `row N, field F: reason`."""
    for note in report.notes:
        out.write(_("note: %(note)s") % {"note": note})
    heading = _("Dry run of batch #%(id)s") if report.dry_run else _("Batch #%(id)s")
    out.write(heading % {"id": report.batch_id} + f" — {report.source}")
    out.write(
        _(
            "%(rows)s rows: %(new)s new, %(updated)s updated, %(unchanged)s unchanged records; "
            "%(invalid)s invalid rows (%(seconds).1f s, %(rate).0f rows/s)"
        )
        % {
            "rows": report.rows,
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "invalid": report.invalid,
            "seconds": report.seconds,
            "rate": report.rate,
        }
    )
    for kind, counts in sorted(report.by_kind.items()):
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v)
        out.write(f"  {kind}: {shown}")
    for row, field, message in report.invalid_rows[:limit]:
        out.write(
            _("row %(row)s, field “%(field)s”: %(message)s")
            % {"row": row, "field": field, "message": message}
        )
    hidden = len(report.invalid_rows) - limit
    if hidden > 0:
        out.write(_("… and %(n)s more problems.") % {"n": hidden})
    if report.rejects_path:
        out.write(_("Rejected rows and reasons: %(path)s") % {"path": report.rejects_path})
