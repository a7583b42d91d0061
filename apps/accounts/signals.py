"""Receivers that keep session bookkeeping and two-factor state in step with logins."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import account_events, two_factor
from apps.accounts.models import User
from apps.accounts.sessions import session_forget, session_register, user_sessions_end
from apps.core.models import TwoFactorDevice


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


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="accounts_totp_device_removed")
@receiver(post_delete, sender=TwoFactorDevice, dispatch_uid="accounts_totp_proxy_removed")
def _on_device_deleted(sender, instance, **kwargs):
    # Every way a confirmed device goes (replacement, the admin's delete, a cascade) is
    # audited and mailed; unconfirmed devices never granted anything.
    if instance.confirmed:
        account_events.device_removed_record(device=instance)


@receiver(post_save, sender=TOTPDevice, dispatch_uid="accounts_totp_device_added")
@receiver(post_save, sender=TwoFactorDevice, dispatch_uid="accounts_totp_proxy_added")
def _on_device_saved(sender, instance, created, **kwargs):
    # A device created already confirmed (an administrator adding one in the admin); the
    # enrolment page confirms an existing device and records that itself.
    if created and instance.confirmed and account_events.in_request():
        account_events.device_enrolled_record(device=instance, replaced=0)
