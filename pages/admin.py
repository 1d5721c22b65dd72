from django.contrib import admin
from taggit.models import Tag

# Tags belong to editorial content and are managed in Wagtail (/cms/), not in the Django administration.
admin.site.unregister(Tag)
