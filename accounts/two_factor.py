"""The authenticator set-up keeps one secret until it is done.

allauth makes a new TOTP secret each time its set-up page is shown, so a reload (or,
without JavaScript, a cookie choice, which reloads the page) replaced the secret whose
QR code the reader had just scanned, and the code from their app was "incorrect". The
secret shown first is kept in the session, for this user, until a code from it is
accepted (MFA_FORMS points allauth at this form).
"""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm

PENDING_SECRET = "hub.mfa.pending_totp_secret"  # noqa: S105 (a session key)


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = get_adapter().request.session
        pending = self.session.get(PENDING_SECRET)
        if pending and pending.get("user") == self.user.pk:
            self.secret = pending["secret"]
        else:
            self.session[PENDING_SECRET] = {"user": self.user.pk, "secret": self.secret}

    def clean_code(self):
        code = super().clean_code()
        self.session.pop(PENDING_SECRET, None)  # set up: the next set-up starts afresh
        return code
