"""Run one export in this fresh process and print its time and peak memory as JSON.

Usage: ``python -m bench.export_child <article-slug> <format>``, with the runner's environment
(bench settings, the benchmark database). The peak RSS is the whole process's, Django included.
"""

import json
import os
import resource
import sys
import time


def main(slug, format_name):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from articleapp import exports
    from articleapp.models import Annotation

    annotations = Annotation.objects.filter(paragraph__article__slug=slug)
    started = time.perf_counter()
    context = exports.ExportContext(base_url="http://127.0.0.1:8000", include_authors=True)
    stream = exports.FORMATS[format_name].stream(annotations, context)
    size = sum(len(chunk) for chunk in stream)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "bytes": size, "peak_rss_mb": peak_rss_kb() / 1024}))


def peak_rss_kb():
    """Return this process's peak RSS in kB.

    Linux's ``ru_maxrss`` survives ``exec``, so a child started from a big parent would report
    the parent's peak; ``VmHWM`` belongs to this program's own address space.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.export_child <article-slug> <format>")
    main(*sys.argv[1:])
