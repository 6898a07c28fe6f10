from django.http import HttpResponse


def baseline(request):
    """The benchmark's yardstick: the whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
