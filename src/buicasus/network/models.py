"""The network analysis cache: one row per (visibility scope, country), kept until the
registry's data version changes (see `services.data_version`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkSnapshot(models.Model):
    """Computed metrics of one network, as the reader of `scope` sees it.

    `scope` names what the reader may see: `public` (anonymous visitors and users without a
    role), `all` (platform admins) or one user with roles (`u<id>:…`). `country` is the ISO code
    of a country's network (its organisations and their foreign partners) or "" for every
    country. `summary` holds `core.network.NetworkSummary.to_dict()`; `metrics` holds per-node
    columns (`ids`, `degree`, `betweenness`, `brokerage`, `community`, `actor_type`, `country`,
    `isolated`) for the graph view and the exports.
    """

    scope = models.CharField(_("visibility scope"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True)
    data_version = models.CharField(_("data version"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds taken"), default=0)
    summary = models.JSONField(_("summary"), default=dict)
    metrics = models.JSONField(_("node metrics"), default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "country"], name="network_snapshot_unique"),
        ]
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"{self.scope} {self.country or '*'} @ {self.data_version}"


class NetworkDataVersion(models.Model):
    """How many times the registry data a network is built from has changed (one row).

    Bumped by the registry's change event, whatever wrote the records, so a snapshot knows
    it is stale without fingerprinting the tables, and a recomputation that ran while the
    data changed is recognised as stale too (it stored the version it started from).
    """

    counter = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("network data version")
        verbose_name_plural = _("network data versions")

    def __str__(self) -> str:
        return str(self.counter)
