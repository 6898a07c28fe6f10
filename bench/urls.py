"""The benchmark's baseline, mounted under /bench/ only with BENCH_BASELINE on."""

from django.urls import path

from .views import baseline

urlpatterns = [path("ok", baseline, name="bench_baseline")]
