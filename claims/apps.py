from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from claims.security import demo_accounts  # noqa: F401  registers the deploy check
        from claims.services.notifications import remember_language_on_login

        user_logged_in.connect(remember_language_on_login, dispatch_uid="claims.notice_language")
