"""Export annotations in one of the formats of ``articleapp.exports``."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articleapp.exports import FORMATS
from articleapp.models import Annotation, Article


class Command(BaseCommand):
    help = "Export annotations to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--article", help="only this article's slug")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        annotations = Annotation.objects.all()
        if options["article"]:
            if not Article.objects.filter(slug=options["article"]).exists():
                raise CommandError(f"no article with slug {options['article']!r}")
            annotations = annotations.filter(paragraph__article__slug=options["article"])
        chunks = FORMATS[options["format"]].stream(annotations)
        if not options["output"]:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        target = Path(options["output"])
        # Write beside the target and rename, so a failed export never leaves half a file.
        try:
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", newline="", dir=target.parent, delete=False
            ) as output:
                for chunk in chunks:
                    output.write(chunk)
            os.replace(output.name, target)
        except OSError as error:
            raise CommandError(f"{target}: cannot write ({error.strerror})") from None
        if options["verbosity"] >= 1:
            self.stderr.write(f"Wrote {options['output']}")
