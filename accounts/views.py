"""The reader's own pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def my_account(request):
    return render(request, "accounts/my_account.html")
