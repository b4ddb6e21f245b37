"""Import an article from a text file, a saved web page or a URL, or update it in place.

    manage.py import_article PATH | --url URL [--slug SLUG] [--dry-run] [--suggest]

A file named ``.html``/``.htm`` (or beginning like a web page) is read as a page, any other as
text in the kicker/title/paragraphs/byline layout. ``--dry-run`` prints what the import would
create or change, the annotations it would keep, move or leave to review included, and writes
nothing. ``--suggest`` runs the gazetteer over the article afterwards. Any error is one line on
stderr and exit status 1, with the database unchanged.
"""

from django.core.management.base import BaseCommand, CommandError, no_translations

from articleapp import importer, suggestions
from articleapp.models import Annotation
from articleapp.wording import quoted


class Command(BaseCommand):
    help = (
        "Import an article from a text file (kicker line, title line, paragraphs separated by "
        "blank lines, a byline like (nen)), a saved web page (.html, .htm) or a URL (--url). "
        "Re-importing the same slug or the same page updates the article in place; any error "
        "leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="a UTF-8 text file or a saved web page")
        parser.add_argument("--url", help="the address of the article's web page")
        parser.add_argument(
            "--slug",
            help="URL slug (default: the article with the page's address, else made from "
            "the title)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what would be created or changed, and write nothing",
        )
        parser.add_argument(
            "--suggest",
            action="store_true",
            help="run the gazetteer over the article after the import",
        )

    @no_translations  # one-line errors in English, as every command of the project writes them
    def handle(self, *args, file=None, url=None, slug=None, **options):
        if (file is None) == (url is None):
            raise CommandError("give either a file or --url, not both and not neither")
        try:
            if slug is not None:
                importer.check_slug(slug)  # before reading: the first problem to name
            parsed = importer.read_url(url) if url else importer.read_file(file)
            if options["dry_run"]:
                self.report_plan(importer.plan(parsed, slug), options)
                return
            article, created = importer.save(parsed, slug=slug)
        except importer.ArticleImportError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            action = "Imported" if created else "Updated"
            count = article.paragraphs.count()
            self.stdout.write(f"{action} {article.slug}: {article.title} ({count} paragraphs)")
        if options["suggest"]:
            report = suggestions.suggest(article)
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Suggestions: {report.created} new; {report.already_annotated} already "
                    f"annotated, {report.rejected_before} rejected before"
                )

    def report_plan(self, plan, options):
        """Print what the import would do; verbosity 2 names every annotation moved or to check."""
        if options["verbosity"] < 1:
            return
        parsed, text = plan.parsed, plan.text
        action = "Would create" if plan.created else "Would update"
        count = len(parsed.paragraphs)
        self.stdout.write(f"{action} {plan.slug}: {parsed.title} ({count} paragraphs)")
        for field, old, new in plan.changes:
            if plan.created:
                if new not in {"", None}:
                    self.stdout.write(f"  {field}: {new}")
            else:
                self.stdout.write(f"  {field}: {old or '—'} → {new or '—'}")
        if not plan.created:
            self.stdout.write(
                f"  paragraphs: {text.changed} changed, {text.added} added, {text.removed} "
                f"removed, {text.splits} split"
            )
            review = text.to_review
            orphaned = sum(outcome.status == Annotation.AnchorStatus.ORPHANED for outcome in review)
            self.stdout.write(
                f"  annotations: {len(text.kept)} kept, {len(text.moved)} moved, {len(review)} "
                f"to review ({len(review) - orphaned} with changed words, {orphaned} orphaned)"
            )
            if options["verbosity"] >= 2:
                for label, outcomes in [("moved", text.moved), ("to review", review)]:
                    for outcome in outcomes:
                        self.stdout.write(
                            f"    {label}: {quoted(outcome.quote)} in paragraph "
                            f"{outcome.old_position} → {outcome.position} ({outcome.status})"
                        )
        if options["suggest"]:
            self.stdout.write("  the gazetteer would run after the import")
        self.stdout.write("Dry run: nothing was written.")
