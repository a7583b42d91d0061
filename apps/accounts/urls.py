from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path(
        "log-ind/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "adgangskode/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "adgangskode/skiftet/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("paamindelser/", views.reminder_preference, name="reminder_preference"),
    path("totrin/opret/", views.totp_enrol, name="totp_enrol"),
    path("totrin/kode/", views.totp_verify, name="totp_verify"),
    path("sso/log-ind/", oidc.OidcLoginView.as_view(), name="oidc_login"),
    path("sso/retur/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
]
