"""The project's URLs plus a trivial JSON view: the ceiling the API is compared against."""

from django.http import JsonResponse
from django.urls import include, path


def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("claimtracker.urls")),
]
