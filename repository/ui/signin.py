"""The login page: local or directory passwords behind the failed-sign-in lockout, and a
"Sign in with <provider>" button when OIDC is configured."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from repository.access import ratelimit
from repository.access.directory import directory_backend
from repository.audit import client_address


def _subject(request) -> ratelimit.Subject:
    return ratelimit.Subject(client_address(request) or "", request.POST.get("username", ""))


def logout_view():
    """Logging out also ends the provider's session when the user came through OIDC."""
    if settings.OIDC_RP_CLIENT_ID:
        from mozilla_django_oidc.views import OIDCLogoutView

        return OIDCLogoutView.as_view()
    return auth_views.LogoutView.as_view()


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["oidc_provider"] = settings.LARDER_OIDC_PROVIDER_NAME
        context["local_login"] = settings.LARDER_LOCAL_LOGIN
        context["ldap_enabled"] = directory_backend() is not None
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        wait = ratelimit.retry_after(_subject(request))
        if wait is not None:
            # Checked before the password: a locked-out attempt learns nothing.
            context = self.get_context_data(form=self.get_form(), retry_after=wait)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        if self.request.POST.get("username") or self.request.POST.get("password"):
            ratelimit.record_failure(_subject(self.request))
        return super().form_invalid(form)
