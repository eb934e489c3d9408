"""The server error page, and the 503 page when the database is away.

Both render from the template alone: no request context, so no context processor runs and nothing
queries a database that may be the very thing that failed. The 400, 403 and 404 pages are Django's
own handlers with this site's templates (templates/400.html …).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER = 30


def database_unavailable() -> bool:
    """Whether the exception being handled says the database cannot be reached."""
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request):
    if database_unavailable():
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
