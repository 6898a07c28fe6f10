"""`{% provider_checklist user %}`: the new provider's checklist, for pages of lower apps
(the accounts dashboard) that may not import pages."""

from django import template

from ..onboarding import provider_checklist as checklist_for

register = template.Library()


@register.inclusion_tag("pages/includes/provider_checklist.html")
def provider_checklist(user, *, hide_when_complete=False):
    if not getattr(user, "is_provider", False):
        return {"checklist": None}
    checklist = checklist_for(user.provider_profile)
    if hide_when_complete and checklist.complete:
        return {"checklist": None}
    return {"checklist": checklist}
