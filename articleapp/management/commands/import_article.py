"""Import a plain-text article, or update the one with the same slug in place."""

from django.core.management.base import BaseCommand, CommandError

from articleapp import importer


class Command(BaseCommand):
    help = (
        "Import a plain-text article: kicker line, title line, paragraphs separated by blank "
        "lines, a byline like (nen). Re-importing the same slug updates it in place; any error "
        "leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a UTF-8 text file")
        parser.add_argument("--slug", help="URL slug (default: made from the title)")

    def handle(self, *args, file, slug=None, **options):
        try:
            article, created = importer.import_file(file, slug=slug)
        except importer.ArticleImportError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            action = "Imported" if created else "Updated"
            count = article.paragraphs.count()
            self.stdout.write(f"{action} {article.slug}: {article.title} ({count} paragraphs)")
