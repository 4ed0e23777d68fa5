"""Send a user whose password was set by someone else to "Change password" first."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# What such a user may still reach: the change itself, logging out, language, static files,
# and the API (token clients have no page to be redirected to).
ALLOWED_PREFIXES = ("/static/", "/i18n/", "/api/", "/media/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                if request.headers.get("HX-Request"):
                    # A fragment the page loads by itself (the menu's job badge): nothing to
                    # show yet. A redirect would be followed and the whole password page
                    # swapped into the fragment's place.
                    return HttpResponse(status=204)
                if "text/html" in request.headers.get("Accept", ""):  # not for a favicon
                    messages.warning(request, _("Choose your own password before you continue."))
                return redirect("accounts:password_change")
        return self.get_response(request)
