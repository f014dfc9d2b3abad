"""Template tags that put the registration or application form on a page.

Used by ``programmes/includes/registration_form.html`` (meeting pages) and
``programmes/includes/application_form.html`` (working-group pages).
"""

from django import template

register = template.Library()


@register.inclusion_tag("programmes_registration/_registration_block.html", takes_context=True)
def meeting_registration(context, page):
    from ..views import meeting_registration_context

    request = context.get("request")
    data = meeting_registration_context(request, page) if request is not None else {}
    data["csrf_token"] = context.get("csrf_token")
    data["request"] = request
    return data


@register.inclusion_tag("programmes_registration/_application_block.html", takes_context=True)
def group_application(context, page):
    from ..views import group_application_context

    request = context.get("request")
    data = group_application_context(request, page) if request is not None else {}
    data["csrf_token"] = context.get("csrf_token")
    data["request"] = request
    return data
