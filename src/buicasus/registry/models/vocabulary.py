"""Controlled vocabularies, loaded as data from versioned fixture files."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.reference.labels import label_in


class Vocabulary(models.Model):
    """A named list of terms, e.g. `actor-type`, with the public source it comes from."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    labels = models.JSONField(_("names"), default=dict)
    source = models.TextField(_("source"))
    version = models.CharField(_("version"), max_length=32)

    class Meta:
        ordering = ["key"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return label_in(self.labels, self.key)


class Term(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=64)
    labels = models.JSONField(_("labels"), default=dict)
    definitions = models.JSONField(_("definitions"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["vocabulary__key", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code"),
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        return label_in(self.labels, self.code, language)


def in_vocabulary(key: str) -> dict[str, str]:
    """`limit_choices_to` for a foreign key or many-to-many field onto `Term`."""
    return {"vocabulary__key": key}
