"""Signals through which catalog tells higher apps what happened on its pages; no rules here."""

from django.dispatch import Signal

# Sent when a service's public page is served in full (not an HTMX swap of its reviews).
# catalog sits below insights, so it announces the view and insights counts it
# (insights/apps.py connects insights.services.count_service_view). A receiver must be cheap
# and never raise: the page is served whatever it does.
service_page_viewed = Signal()  # request=HttpRequest, service=Service
