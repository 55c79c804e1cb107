"""Staff reach the admin only with two-factor authentication set up.

Without it the user model grants no permission anywhere (accounts.models.User.has_perm);
this middleware adds the friendly part: staff who open /admin/ are led to the set-up.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path_info.startswith("/admin/")
            and user.is_authenticated
            and user.is_staff
            and not user.has_two_factor
        ):
            messages.warning(
                request, _("Set up two-factor authentication before you use the editors' admin.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
