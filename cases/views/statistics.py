"""The statistics page: people in custody month by month, and counts by charge and theme."""

from dataclasses import replace

from django.shortcuts import render
from django.utils.translation import gettext as _

from ..filters import StatisticsFilter
from ..models import Event, Person
from ..statistics import bar_chart, figures
from .lists import active_filters, materialise_choices
from .meta import PageMeta, latest_information, narrowed_to_country

# A phone's chart: drawn for the narrowest screen it is shown on (a 320px screen leaves 288px),
# so that scaled to its box its 12px text never shrinks; fewer years fit under it.
NARROW_CHART = {"width": 288, "height": 220}


def statistics(request):
    """The figures follow the people list's filters: the same query string narrows both."""
    filterset = StatisticsFilter(request.GET, queryset=Person.objects.published(), request=request)
    materialise_choices(filterset.form)
    meta = PageMeta(
        title=_("Statistics"),
        description=_("How many people were in custody at the end of each month, and counts by charge and theme."),
        # The newest first along an index, rather than MAX over every published event.
        updated=Event.objects.published().order_by("-updated_at").values_list("updated_at", flat=True).first(),
        latest_information=latest_information(
            Event.objects.published().order_by("-date_start", "-date_end", "-pk")[:1]
        ),
    )
    context = {"filterset": filterset, "form": filterset.form, "meta": meta}
    if not filterset.is_valid():
        return render(request, "cases/statistics.html", context, status=400)
    context["meta"] = replace(meta, title=narrowed_to_country(meta.title, filterset.form.cleaned_data.get("country")))
    data = filterset.form.cleaned_data
    found = figures(filterset.qs, since=data.get("since"), until=data.get("until"))
    context.update(
        active_filters=active_filters(request, filterset.form),
        headcount=found.headcount,
        months=found.months,
        chart=bar_chart(found.months),
        narrow_chart=bar_chart(found.months, **NARROW_CHART),
        by_charge=found.by_charge,
        by_theme=found.by_theme,
    )
    return render(request, "cases/statistics.html", context)
