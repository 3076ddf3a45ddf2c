from django.apps import AppConfig


class PaymentsKlarnaConfig(AppConfig):
    name = "payments_klarna"
    verbose_name = "Klarna Payments"
