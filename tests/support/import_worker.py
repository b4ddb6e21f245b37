"""A separate process for the import fault tests: import an article, or annotate one.

``python -m tests.support.import_worker import FILE [--kill-after-saves N]`` imports the
article and, with ``--kill-after-saves``, sends itself SIGKILL right after the N-th paragraph
or annotation is saved, inside the import's transaction. ``annotate SLUG`` annotates the first
word of every paragraph. The database is ``DATABASE_URL``.
"""

import argparse
import json
import os
import signal

import django


def kill_after(saves):
    from django.db.models.signals import post_save

    from articleapp.models import Annotation, Paragraph

    count = 0

    def count_and_kill(sender, **kwargs):
        nonlocal count
        count += 1
        if count >= saves:
            os.kill(os.getpid(), signal.SIGKILL)

    for model in (Paragraph, Annotation):
        post_save.connect(count_and_kill, sender=model, weak=False)


def annotate(slug):
    from django.db import transaction

    from articleapp.models import Annotation, Article

    with transaction.atomic():
        for paragraph in Article.objects.get(slug=slug).paragraphs.all():
            end = paragraph.text.index(" ")
            annotation = Annotation(paragraph=paragraph, start=0, end=end, comment="Anmerkung")
            annotation.anchor_in(paragraph.text)
            annotation.save()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["import", "annotate"])
    parser.add_argument("target", nargs="?")
    parser.add_argument("--kill-after-saves", type=int)
    arguments = parser.parse_args()
    django.setup()
    if arguments.action == "import":
        from articleapp.importer import import_file

        if arguments.kill_after_saves:
            kill_after(arguments.kill_after_saves)
        article, created = import_file(arguments.target)
        print(json.dumps({"slug": article.slug, "created": created}))
    else:
        annotate(arguments.target)


if __name__ == "__main__":
    main()
