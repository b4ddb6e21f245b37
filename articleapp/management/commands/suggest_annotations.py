"""Run the gazetteer over articles, as the admin's "Suggest annotations" does, and report."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articleapp import suggestions
from articleapp.models import Article, Entity


class Command(BaseCommand):
    help = (
        "Create draft suggestions from the gazetteer for the given articles (default: all), "
        "skipping words already annotated or rejected before; print the new ones per entity "
        "and reason. --dry-run counts them and saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            action="extend",
            nargs="+",
            default=[],
            metavar="SLUG",
            help="an article's slug; repeat or list several",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, save nothing")

    def handle(self, *args, article, dry_run, verbosity, **options):
        articles = list(Article.objects.order_by("slug"))
        if article:
            by_slug = {each.slug: each for each in articles}
            unknown = [slug for slug in dict.fromkeys(article) if slug not in by_slug]
            if unknown:
                raise CommandError(f"No article with the slug {', '.join(map(repr, unknown))}.")
            articles = [by_slug[slug] for slug in dict.fromkeys(article)]
        report = suggestions.SuggestionReport()
        with transaction.atomic():
            gazetteer = suggestions.build_gazetteer()
            for each in articles:
                before = report.created
                suggestions.suggest(each, gazetteer, report=report, dry_run=dry_run)
                if verbosity >= 2:
                    self.stdout.write(f"{each.slug}: {report.created - before} new")
        if verbosity >= 1:
            self.write_report(report, len(articles), dry_run)

    def write_report(self, report, article_count, dry_run):
        names = dict(Entity.objects.values_list("pk", "name"))
        # Reasons by their codes (as the evaluation prints them), not in the interface language.
        rows = sorted(
            (names[pk], str(reason), count)
            for (pk, reason), count in report.by_entity_and_reason.items()
        )
        if rows:
            width = max(len("entity"), *(len(name) for name, _, _ in rows))
            self.stdout.write(f"{'entity':<{width}}  {'reason':<18}  new")
            for name, reason, count in rows:
                self.stdout.write(f"{name:<{width}}  {reason:<18}  {count}")
        verb = "would be created" if dry_run else "created"
        self.stdout.write(
            f"{report.created} suggestion(s) {verb} in {article_count} article(s); "
            f"{report.already_annotated} mention(s) already annotated, "
            f"{report.rejected_before} rejected before."
        )
