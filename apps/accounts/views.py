"""The two-factor steps after a password login (enrol an authenticator app, enter a code),
and the user's own choice of automatic reminder mails."""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from apps.accounts import two_factor
from apps.accounts.forms import ReminderPreferenceForm, TokenForm
from apps.accounts.preferences import reminder_preference_set


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _to_verification(request):
    return redirect(f"{reverse('accounts:totp_verify')}?{urlencode({'next': _next_url(request)})}")


@login_required
def totp_enrol(request):
    """Enrol an authenticator app: the enrolment step, voluntary enrolment, or (from a
    verified session) replacing the device. A session that has only given the password of
    a user with a confirmed device is sent to the code step instead."""
    if not two_factor.may_enrol(request):
        return _to_verification(request)
    device = two_factor.device_for_enrolment(request=request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.enrolment_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        ):
            return redirect(_next_url(request))
        if not two_factor.may_enrol(request):
            return _to_verification(request)
        form.add_error("token", _("Koden passer ikke. Tjek tiden på din telefon, og prøv igen."))
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        "config_url": device.config_url,
        "qr_code": two_factor.qr_data_uri(device.config_url),
        "required": two_factor.is_required(request.user),
        "replacing": two_factor.confirmed_device(request.user) is not None,
        "next": _next_url(request),
    }
    return render(request, "accounts/totp_enrol.html", context)


@login_required
def totp_verify(request):
    if two_factor.pending_step(request) != two_factor.STATE_VERIFY:
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.session_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("Koden passer ikke, eller der er forsøgt for mange gange."))
    return render(request, "accounts/totp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def reminder_preference(request):
    """The user chooses the weekly digest and follow-up reminders, or none."""
    form = ReminderPreferenceForm(
        request.POST or None, initial={"reminder_preference": request.user.reminder_preference}
    )
    if request.method == "POST" and form.is_valid():
        reminder_preference_set(
            user=request.user, preference=form.cleaned_data["reminder_preference"]
        )
        messages.success(request, _("Dit valg af påmindelser er gemt."))
        return redirect("accounts:reminder_preference")
    return render(request, "accounts/reminder_preference.html", {"form": form})
