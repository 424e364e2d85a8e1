"""`buicasus eval matching --corpus C.jsonl --queries Q.jsonl [--k 10]` and
`buicasus eval encoder --tatoeba DIR`: quality figures of the matcher and of the encoder.

The matching evaluation's last line is one JSON object (for CI and scripts)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buicasus.semantic import evaluation


class Command(BaseCommand):
    help = "Evaluate cross-lingual matching on a labelled set, or the encoder on Tatoeba."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        matching = sub.add_parser("matching", help="nDCG@k, MRR and recall@k of three systems.")
        matching.add_argument("--corpus", required=True, type=Path)
        matching.add_argument("--queries", required=True, type=Path)
        matching.add_argument("--k", type=int, default=10)
        encoder = sub.add_parser("encoder", help="Tatoeba bitext retrieval accuracy.")
        encoder.add_argument("--tatoeba", required=True, type=Path)
        encoder.add_argument("--limit", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "encoder":
            folder: Path = options["tatoeba"]
            if not folder.is_dir():
                raise CommandError(f"--tatoeba: {folder} is not a folder")
            results = evaluation.evaluate_encoder(folder, limit=options["limit"])
            for code, figures in results.items():
                self.stdout.write(
                    f"{code}: " + ", ".join(f"{d} {v:.3f}" for d, v in figures.items())
                )
            self.stdout.write(json.dumps(results))
            return
        for name in ("corpus", "queries"):
            if not options[name].is_file():
                raise CommandError(f"--{name}: {options[name]} is not a file")
        if options["k"] < 1:
            raise CommandError("--k must be at least 1")
        try:
            result = evaluation.evaluate_matching(
                options["corpus"],
                options["queries"],
                k=options["k"],
                progress=lambda m: print(m, file=sys.stderr),
            )
        except (ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        k = options["k"]
        self.stdout.write(
            f"{'system':<10} {'nDCG@' + str(k):>9} {'MRR':>7} {'recall@' + str(k):>10}"
        )
        for system in evaluation.SYSTEMS:
            m = result[system]
            self.stdout.write(
                f"{system:<10} {m[f'ndcg@{k}']:>9.3f} {m['mrr']:>7.3f} {m[f'recall@{k}']:>10.3f}"
            )
        self.stdout.write(f"queries: {result['queries']}")
        self.stdout.write(json.dumps(result))
