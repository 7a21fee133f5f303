"""``yiwang services import FILE | export [--format csv|json] [-o FILE] | stats [SECTION ...]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel


class Command(BaseCommand):
    help = "Service catalogue (服务事项目录): import, export, statistics."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        imp = sub.add_parser("import", help="import a catalogue file (JSON or CSV), all or nothing")
        imp.add_argument("file")
        imp.add_argument("--format", choices=("csv", "json"), help="default: from the file name")
        exp = sub.add_parser("export", help="write the catalogue as CSV or JSON")
        exp.add_argument("--format", choices=("csv", "json"), default="json")
        exp.add_argument("-o", "--output", help="file to write (default: standard output)")
        st = sub.add_parser("stats", help="catalogue statistics (and other apps' sections) as JSON")
        st.add_argument("sections", nargs="*", help="sections to print (default: all)")

    def handle(self, *args, sub, **options):
        getattr(self, f"_{sub}")(**options)

    def _import(self, file, format=None, **_):
        from yiwang.services.catalogue.importing import ImportRejected, import_catalogue

        path = Path(file)
        if not path.exists():
            raise CommandError(f"no such file: {file}")
        fmt = format or {".json": "json", ".csv": "csv"}.get(path.suffix.lower())
        self.stderr.write(f"reading {path} …")
        try:
            result = import_catalogue(Actor.system(Channel.CLI), path.read_text(encoding="utf-8-sig"), fmt=fmt)
        except ImportRejected as exc:
            self.stdout.write(exc.report())
            raise CommandError(str(exc.message)) from exc
        except ActionError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))

    def _export(self, format="json", output=None, **_):
        from yiwang.services.catalogue import interchange
        from yiwang.services.catalogue.exporting import export_document

        document = export_document()
        text = interchange.write_json(document) if format == "json" else interchange.write_csv(document)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(document['items'])} items written to {output}")
        else:
            sys.stdout.flush()
            self.stdout.write(text, ending="")

    def _stats(self, sections=(), **_):
        from yiwang.services.catalogue.stats import collect_stats, stats_sections

        unknown = [s for s in sections if s not in stats_sections()]
        if unknown:
            raise CommandError(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(stats_sections())}")
        self.stdout.write(json.dumps(collect_stats(list(sections) or None), ensure_ascii=False, indent=2))
