from django.apps import AppConfig


class KlarnaEmulatorConfig(AppConfig):
    name = "klarna_emulator"
    label = "klarna_emulator"
    verbose_name = "Klarna emulator"
    default_auto_field = "django.db.models.BigAutoField"
