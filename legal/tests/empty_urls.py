"""A URLconf without any of the portal's routes, for the 500 page's test."""

urlpatterns = []
