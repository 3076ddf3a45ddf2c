from django.apps import AppConfig


class KlarnaEmulatorConfig(AppConfig):
    name = "payments_klarna.emulator"
    label = "klarna_emulator"
    verbose_name = "Klarna emulator"
    default_auto_field = "django.db.models.BigAutoField"
