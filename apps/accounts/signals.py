"""Receivers that keep session bookkeeping and two-factor state in step with logins."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.accounts import two_factor
from apps.accounts.models import User
from apps.accounts.sessions import session_forget, session_register, user_sessions_end


@receiver(user_logged_in, dispatch_uid="accounts_session_register")
def _on_login(sender, request, user, **kwargs):
    session_register(user=user, session=request.session)
    two_factor.session_mark_login(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts_session_forget")
def _on_logout(sender, request, user, **kwargs):
    session_forget(session_key=request.session.session_key)


@receiver(post_save, sender=User, dispatch_uid="accounts_deactivated_user_sessions")
def _on_user_saved(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        user_sessions_end(user=instance)
