"""Every export format, registered in `EXPORTERS` (format name → `Exporter`).

Importing this package registers the built-in formats; a new format is one more
`@register(...)` function in a module imported here.
"""

from buicasus.interchange.exporters import documents, hsds, network, tabular
from buicasus.interchange.exporters.base import EXPORTERS, Exporter, register

_ORDER = ("csv", "xlsx", "json", "jsonl", "hsds", "popolo", "jsonld", "gexf", "graphml", "kumu")
for _name in sorted(EXPORTERS, key=lambda n: (_ORDER + (n,)).index(n)):
    EXPORTERS[_name] = EXPORTERS.pop(_name)

__all__ = ["EXPORTERS", "Exporter", "documents", "hsds", "network", "register", "tabular"]
