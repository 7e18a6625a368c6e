"""URLs: django-helpdesk's own, so that the links it renders into e-mail resolve."""
from django.urls import include, path

urlpatterns = [path("helpdesk/", include("helpdesk.urls"))]
