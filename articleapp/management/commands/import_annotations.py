"""Import annotations from a JSON, JSON Lines or W3C JSON-LD export, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from articleapp.exports.reader import AnnotationImportError, load
from articleapp.models import Annotation


class Command(BaseCommand):
    help = (
        "Import annotations exported as JSON, JSON Lines or W3C JSON-LD into articles that exist "
        "here. Ids, offsets, tags, comments and times are kept; unknown entities are created. "
        "A bad file changes nothing and names its first problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export file to read")
        parser.add_argument(
            "--status",
            choices=Annotation.Status.values,
            default=Annotation.Status.DRAFT,
            help="status of annotations read from W3C JSON-LD, which does not carry one "
            "(default: %(default)s); JSON and JSON Lines keep their own",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file but write nothing"
        )

    def handle(self, *args, **options):
        try:
            result = load(options["file"], w3c_status=options["status"], dry_run=options["dry_run"])
        except AnnotationImportError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] < 1:
            return
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} {result.annotations} annotations, creating "
            f"{len(result.entities_created)} entities."
        )
        if result.unknown_authors:
            self.stderr.write(
                "Unknown authors, imported without author: "
                + ", ".join(sorted(result.unknown_authors))
            )
