"""The scheme's adjustment requests on pages of other apps (the portal's dossier, the ministry's
scheme page), included by template, so that those apps import nothing from this one."""

from django import template

from adjustments.selectors import TONE, panel_for, scheme_requests

register = template.Library()


@register.inclusion_tag("adjustments/partials/portal_panel.html", takes_context=True)
def portal_adjustments(context, scheme):
    return {"panel": panel_for(context["request"].user, scheme), "scheme": scheme}


@register.inclusion_tag("adjustments/partials/scheme_section.html")
def scheme_adjustments(scheme):
    requests = scheme_requests(scheme)
    for request in requests:
        request.tone = TONE[request.status]
    return {"requests": requests, "scheme": scheme}
