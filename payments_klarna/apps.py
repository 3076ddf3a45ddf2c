from django.apps import AppConfig


class PaymentsKlarnaConfig(AppConfig):
    name = "payments_klarna"
    verbose_name = "Klarna Payments"

    def ready(self):
        from . import checks  # noqa: F401 - registers the Klarna mode with `manage.py check --deploy`
