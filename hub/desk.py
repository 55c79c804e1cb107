"""The editors' desk: Django's admin site named after the brand, with a staff log-in of
its own, an index grouped the way editors work (Content, Readers, Outcomes, Settings)
and a dashboard of what needs them.

The log-in runs allauth's own log-in view, so the admin keeps allauth's rate limits
and two-factor step; it only looks like the admin and lets no reader in.
"""

from datetime import timedelta

from allauth.account.views import LoginView
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from brand.models import current as current_brand
from common.mail import deliver_email
from common.tasks import TaskResultStatus
from hubs.scope import hub_ids
from quizzes.models import Quiz

# The index's sections, each model in the order editors reach for it. Models not
# named here are technical (task rows, email addresses, authenticators, consent
# tallies): superusers find them under "Technical", other staff do not see them.
GROUPS = [
    (
        "content",
        _("Content"),
        [
            "articles.Article",
            "quizzes.Quiz",
            "articles.Expert",
            "articles.Topic",
            "articles.Sponsor",
            "hub.Page",
            "accounts.PatientOrganisation",
            "articles.ArticleType",
        ],
    ),
    (
        "readers",
        _("Readers"),
        [
            "accounts.User",
            "newsletter.Subscriber",
            "newsletter.DigestIssue",
            "hub.ContactMessage",
            "accounts.Bookmark",
        ],
    ),
    ("outcomes", _("Outcomes"), ["quizzes.Attempt"]),
    (
        "settings",
        _("Settings"),
        [
            "hubs.Hub",
            "brand.Brand",
            "articles.SearchSynonym",
            "cookie_consent.CookieGroup",
            "cookie_consent.Cookie",
            "auth.Group",
        ],
    ),
]
TECHNICAL = ("technical", _("Technical"))
# How many rows each dashboard list shows, and how far back "new results" look.
DASHBOARD_ROWS = 5
NEW_RESULTS_DAYS = 7


class StaffLoginView(LoginView):
    """allauth's log-in (its rate limits, its two-factor stage) in the admin's own page;
    a reader's right password opens nothing here and logs nobody in."""

    template_name = "admin/desk_login.html"
    admin_site = None

    def form_valid(self, form):
        user = form.user
        if not (user.is_active and user.is_staff):
            form.add_error(
                None,
                gettext(
                    "This is the editors’ log-in, and this account is not an editor’s. "
                    "Readers log in on the site."
                ),
            )
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.admin_site.each_context(self.request),
            "title": gettext("Log in"),
            "subtitle": None,
            "app_path": self.request.get_full_path(),
            "next": self.get_success_url(),
        }

    def get_success_url(self):
        index = reverse("admin:index", current_app=self.admin_site.name)
        wanted = self.request.POST.get(REDIRECT_FIELD_NAME) or self.request.GET.get(
            REDIRECT_FIELD_NAME
        )
        safe = wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return wanted if safe else index


class EditorsDesk(admin.AdminSite):
    index_template = "admin/desk_index.html"
    site_url = "/"

    def each_context(self, request):
        # Named after the brand editors set (brand.models), not after the code base.
        # Set per request (never on the shared site object): the name and the language
        # may differ between two requests served at once.
        header = gettext("%(brand)s editors’ desk") % {"brand": current_brand().name}
        return {**super().each_context(request), "site_header": header, "site_title": header}

    def login(self, request, extra_context=None):
        request.current_app = self.name
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            # A reader who is logged in: say so, instead of a log-in form that
            # would only log them in again as themselves.
            context = {
                **self.each_context(request),
                "title": gettext("Not an editor’s account"),
                "subtitle": None,
            }
            return TemplateResponse(request, "admin/desk_not_editor.html", context, status=403)
        return StaffLoginView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        if app_label:  # an app's own page (breadcrumbs link there): Django's list
            return super().get_app_list(request, app_label)
        found = {
            entry["model"]._meta.label: entry
            for app in super().get_app_list(request)
            for entry in app["models"]
        }
        sections = []
        for label, name, models in GROUPS:
            entries = [found.pop(model) for model in models if model in found]
            if label == "outcomes":
                entries += self._outcome_pages(request)
            if entries:
                sections.append(_section(label, name, entries))
        if found and request.user.is_superuser:
            technical = sorted(found.values(), key=lambda entry: str(entry["name"]))
            sections.append(_section(*TECHNICAL, technical))
        return sections

    def _outcome_pages(self, request):
        """The outcomes reports are views of the quiz admin, not models of their own."""
        if not (
            self.is_registered(Quiz) and self.get_model_admin(Quiz).has_view_permission(request)
        ):
            return []
        url = reverse("admin:quizzes_quiz_topics", current_app=self.name)
        return [
            {
                "name": gettext("Outcomes by topic"),
                "object_name": "OutcomesByTopic",
                "admin_url": url,
                "add_url": None,
                "view_only": True,
                "perms": {"view": True},
            }
        ]

    def index(self, request, extra_context=None):
        context = {
            "title": gettext("Editors’ desk"),
            "dashboard": dashboard(self, request),
            **(extra_context or {}),
        }
        return super().index(request, context)


def _section(label, name, models):
    return {
        "name": name,
        "app_label": label,
        "app_url": "",
        "has_module_perms": True,
        "models": models,
        "is_group": True,
    }


def dashboard(site, request):
    """What needs the editor: drafts, scheduled, recently published, quizzes with new
    results and failed emails; a fixed number of queries, only what they may see."""
    user = request.user
    panels = {}
    hubs = hub_ids(request)  # the editor's hubs (None: a superuser's, every hub)
    if user.has_perm("articles.view_article"):
        articles = Article.objects.only("pk", "title", "status", "published_at", "updated_at")
        if hubs is not None:
            articles = articles.filter(hub__in=hubs)
        changelist = reverse("admin:articles_article_changelist", current_app=site.name)
        panels["drafts"] = {
            "rows": list(articles.drafts().order_by("-updated_at")[:DASHBOARD_ROWS]),
            "count": articles.drafts().count(),
            "all_url": f"{changelist}?state=draft",
        }
        panels["scheduled"] = {
            "rows": list(articles.scheduled().order_by("published_at")[:DASHBOARD_ROWS]),
            "count": articles.scheduled().count(),
            "all_url": f"{changelist}?state=scheduled",
        }
        panels["published"] = {
            "rows": list(articles.published(hub=None).order_by("-published_at")[:DASHBOARD_ROWS]),
            "all_url": f"{changelist}?state=live",
        }
    if user.has_perm("quizzes.view_quiz"):
        since = timezone.now() - timedelta(days=NEW_RESULTS_DAYS)
        recent = Q(
            attempts__created_at__gte=since,
            attempts__by_staff=False,
            attempts__is_demo=False,
        )
        quizzes = Quiz.objects.shown_on(hubs)  # the quizzes shown on their hubs
        if hubs is not None:  # and the attempts made there
            recent &= Q(attempts__hub__in=hubs)
        panels["results"] = {
            "rows": list(
                quizzes.only("pk", "title")
                .annotate(new_attempts=Count("attempts", filter=recent))
                .filter(new_attempts__gt=0)
                .order_by("-new_attempts", "title")[:DASHBOARD_ROWS]
            ),
            "days": NEW_RESULTS_DAYS,
        }
    if user.has_perm("django_tasks_database.view_dbtaskresult"):
        failed = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, task_path=deliver_email.module_path
        )
        tasks = site.get_model_admin(DBTaskResult)
        changelist = reverse(
            "admin:django_tasks_database_dbtaskresult_changelist", current_app=site.name
        )
        panels["failed_emails"] = {
            "rows": [
                (result.pk, tasks.email(result), result.finished_at)
                for result in failed.order_by("-finished_at")[:DASHBOARD_ROWS]
            ],
            "count": failed.count(),
            "all_url": f"{changelist}?status__exact={TaskResultStatus.FAILED}&work=email",
        }
    return panels
