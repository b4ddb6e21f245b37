"""Probes for load balancers and orchestrators: liveness without, readiness with the database."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from project.methods import read_only


@never_cache
@read_only
def healthz(request):
    """Answer 200 while the process serves requests; never touches the database."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@read_only
def readyz(request):
    """Answer 200 when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(
            "database unavailable\n",
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "5"},
        )
    return HttpResponse("ready\n", content_type="text/plain; charset=utf-8")
