"""Export annotations in one of the formats of ``articleapp.exports``, with the page's filters."""

import argparse
import codecs
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.urls import reverse

from articleapp.exports import FORMATS, ExportContext
from articleapp.exports.filters import DOCSTART_CHOICES, STATUS_CHOICES, ExportFilterForm

# Below this many annotations an export is quick and a progress display would only be noise.
PROGRESS_THRESHOLD = 10_000


class Command(BaseCommand):
    help = (
        "Export annotations to a file (written atomically) or standard output. Filters repeat: "
        "--article a --article b exports both articles."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--article", action="append", default=[], help="an article's slug")
        parser.add_argument(
            "--status", default="all", choices=[value for value, _label in STATUS_CHOICES]
        )
        parser.add_argument("--kind", action="append", default=[], help="an entity kind")
        parser.add_argument("--tag", action="append", default=[], help="an annotation tag")
        parser.add_argument(
            "--docstart",
            default="",
            choices=[value for value, _label in DOCSTART_CHOICES if value],
            help="CoNLL only: conll2003 writes '-DOCSTART- -X- O O' before each article "
            "(default: '-DOCSTART- O')",
        )
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url",
            default=settings.RANDNOTIZ_BASE_URL,
            help="scheme and host for links in the W3C export (default: RANDNOTIZ_BASE_URL, "
            "now %(default)s)",
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=f"show progress on stderr (default: for more than {PROGRESS_THRESHOLD:,} "
            "annotations)",
        )

    def handle(self, *args, **options):
        query = QueryDict(mutable=True)
        query.setlist("article", options["article"])
        query.setlist("kind", options["kind"])
        query.setlist("tag", options["tag"])
        query["status"] = options["status"]
        if options["docstart"]:
            query["docstart"] = options["docstart"]
        form = ExportFilterForm(query, export_format=options["format"])
        if not form.is_valid():
            raise CommandError(form.first_error().replace("“", "'").replace("”", "'"))
        export_format = FORMATS[options["format"]]
        if export_format.name == "brat" and not options["output"]:
            raise CommandError("the brat export is a zip file; name it with --output FILE.zip")
        annotations = form.annotations()
        base_url = options["base_url"].rstrip("/")
        path = reverse(
            "articleapp:export-annotations", kwargs={"export_format": export_format.name}
        )
        query_string = form.query_string()
        context = ExportContext(
            base_url=base_url,
            collection_url=f"{base_url}{path}" + (f"?{query_string}" if query_string else ""),
            include_authors=True,
            progress=self.progress_display(annotations, options),
            **form.context_options(),
        )
        chunks = export_format.stream(annotations, context)
        if not options["output"]:
            # Standard output takes text; brat's zip, the only binary format, was refused above.
            decoder = codecs.getincrementaldecoder("utf-8")()
            for chunk in chunks:
                self.stdout.write(decoder.decode(chunk), ending="")
            return
        target = Path(options["output"])
        # Write beside the target and rename, so a failed export never leaves half a file.
        try:
            with tempfile.NamedTemporaryFile(
                "wb", dir=target.parent, prefix=f".{target.name}.", delete=False
            ) as output:
                try:
                    for chunk in chunks:
                        output.write(chunk)
                except BaseException:
                    output.close()
                    os.unlink(output.name)
                    raise
            os.replace(output.name, target)
        except OSError as error:
            raise CommandError(f"{target}: cannot write ({error.strerror})") from None
        if options["verbosity"] >= 1:
            self.stderr.write(f"Wrote {target}")

    def progress_display(self, annotations, options):
        """Return a callback that shows how far the export is, or None when not wanted."""
        if options["verbosity"] < 1 or options["progress"] is False:
            return None
        total = annotations.count()
        if options["progress"] is None and total < PROGRESS_THRESHOLD:
            return None
        started = time.monotonic()
        interactive = self.stderr.isatty()

        def show(done):
            percent = 100 * done // total if total else 100
            line = (
                f"Exported {done:,} of {total:,} annotations ({percent} %, "
                f"{time.monotonic() - started:.0f} s)"
            )
            if interactive:
                self.stderr.write(f"\r{line}", ending="\n" if done >= total else "")
            else:
                self.stderr.write(line)

        return show
