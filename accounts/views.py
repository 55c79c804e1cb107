"""The reader's own pages, the HCP declaration and bookmarks.

Every view here acts on request.user only: no URL names another reader's data.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts import gate, overview
from accounts.forms import DeleteAccountForm, InterestsForm, ProfileForm
from accounts.models import Bookmark
from accounts.personal_data import erase_personal_data, personal_data
from accounts.recommendations import recommend
from articles.models import Article, Topic
from common.http import gate_exempt, safe_next, same_origin_post

# Remembers that a visitor closed the "why sign up" panel: a cookie, not a session
# row, so anonymous visitors write nothing to the database.
PANEL_COOKIE = "hub_panel"
PANEL_COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@gate_exempt
@same_origin_post  # the gate is a page shared by every visitor: no CSRF token
@require_POST
def hcp_declare(request):
    response = redirect(safe_next(request, request.POST.get("next")))
    return gate.remember_declaration(request, response)


def panel_dismissed(request):
    return request.COOKIES.get(PANEL_COOKIE) == "1"


@gate_exempt
@same_origin_post  # the panel is on shared pages: no CSRF token, a same-site check
@require_POST
def dismiss_panel(request):
    if _wants_json(request):
        response = JsonResponse({"dismissed": True})
    else:
        response = redirect(safe_next(request, request.POST.get("next")))
    response.set_cookie(
        PANEL_COOKIE,
        "1",
        max_age=PANEL_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_safe
@login_required
def my_account(request):
    return render(request, "accounts/my_account.html", {"sections": overview.sections()})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def interests(request):
    form = InterestsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your areas of interest were saved."))
        if request.POST.get("welcome"):
            return redirect("accounts:recommended")
        return redirect("accounts:interests")
    return render(
        request,
        "accounts/interests.html",
        {
            "form": form,
            "topic_tree": Topic.tree(list(Topic.objects.on_hub())),
            "chosen": form.ticked_topic_ids(),
            "welcome": request.GET.get("welcome") or request.POST.get("welcome"),
        },
    )


@require_safe
@login_required
def bookmarks(request):
    saved = (
        Bookmark.objects.filter(user=request.user, article__in=Article.objects.published())
        .select_related("article__article_type")
        .prefetch_related("article__article_experts__expert")
    )
    return render(request, "accounts/bookmarks.html", {"bookmarks": saved})


@require_POST
@login_required
def bookmark(request, article_id):
    """Add or remove one bookmark. The form says which, so a double submit changes nothing."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if request.POST.get("action") == "remove":
        Bookmark.objects.filter(user=request.user, article=article).delete()
        bookmarked, message = False, _("Removed from your bookmarks.")
    else:
        Bookmark.objects.get_or_create(user=request.user, article=article)
        bookmarked, message = True, _("Saved to your bookmarks.")
    if _wants_json(request):
        return JsonResponse({"bookmarked": bookmarked, "message": message})
    messages.success(request, message)
    return redirect(safe_next(request, request.POST.get("next"), article.get_absolute_url()))


@require_safe
@login_required
def recommended(request):
    return render(
        request, "accounts/recommended.html", {"recommendations": recommend(request.user, 12)}
    )


@require_POST
@login_required
def reset_feed_key(request):
    request.user.reset_feed_key()
    messages.success(
        request,
        _(
            "Your feed addresses were reset. The old addresses no longer work: give your "
            "feed reader the new ones."
        ),
    )
    return redirect(reverse("accounts:my_account") + "#feeds")


@require_GET
@login_required
def export_data(request):
    data = personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="hub-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request):
    form = DeleteAccountForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        with transaction.atomic():
            logout(request)
            erase_personal_data(user)
            user.delete()
        messages.success(request, _("Your account and personal data have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
