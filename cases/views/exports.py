"""CSV and JSON downloads of the public lists, filtered exactly as the page is."""

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..addresses import absolute_url
from ..exports import DATASETS, as_csv, as_json, export_filename

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def export(request, dataset: str, fmt: str):
    dataset = DATASETS[dataset]
    filterset = dataset.filterset_class(request.GET, queryset=dataset.queryset(), request=request)
    if not filterset.is_valid():
        problems = "\n".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
        return HttpResponseBadRequest(
            _("These filters cannot be read:") + "\n" + problems + "\n", content_type="text/plain; charset=utf-8"
        )
    # Every row's address starts the same: the site's, worked out once rather than row by row.
    site = absolute_url("/", request).removesuffix("/")
    texts = dataset.texts(filterset, lambda path: site + path, fmt)
    if fmt == "csv":
        content = as_csv(texts, dataset.columns)
    else:
        filters = {name: value for name, value in request.GET.items() if value}
        content = as_json(texts, dataset.name, filters)
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = export_filename(dataset.name, filterset.form.cleaned_data, fmt, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
