from django.apps import AppConfig


class MaisonsConfig(AppConfig):
    name = "maisons"
    verbose_name = "Maisons du Département"
