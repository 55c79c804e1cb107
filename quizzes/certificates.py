"""Certificates: issued once per reader and activity after the post-test, printed as a
page or downloaded as a PDF (fpdf2), and confirmed by anyone at a public address.

The PDF is drawn with DejaVu Sans, shipped in quizzes/fonts (its licence beside it), so
every name prints, whatever its script, on any server.
"""

import logging
from io import BytesIO
from pathlib import Path

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from brand.models import current as current_brand
from hubs import directory as hubs
from quizzes.models import Attempt, Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
# fpdf2 subsets the font with fontTools, which logs every table it prunes at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def issue(quiz, user):
    """The reader's certificate for this quiz, issued now if it is the first time; None
    when they have not taken the post-test."""
    attempts = {a.stage: a for a in Attempt.objects.filter(quiz=quiz, user=user)}
    post = attempts.get(Attempt.Stage.POST)
    if post is None:
        return None
    existing = Certificate.objects.filter(quiz=quiz, user=user).first()
    if existing:
        return existing
    pre = attempts.get(Attempt.Stage.PRE)
    article = quiz.article
    certificate = Certificate(
        quiz=quiz,
        user=user,
        reader_name=user.get_full_name(),
        profession=post.get_profession_display() if post.profession else "",
        activity=article.title,
        started_on=timezone.localdate((pre or post).created_at),
        completed_on=timezone.localdate(post.created_at),
        score_before=pre.score if pre else None,
        score_after=post.score,
        total=post.total,
    )
    if article.carries_credit:
        certificate.credit_type = article.credit_type
        certificate.credit_amount = article.credit_amount
        certificate.accreditation_statement = article.accreditation_statement
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # The same reader in another tab issued it a moment ago: that one stands.
        return Certificate.objects.get(quiz=quiz, user=user)
    return certificate


def verification_url(certificate, request=None):
    path = reverse("quizzes:verify_certificate", args=[certificate.code])
    if request is not None:
        return request.build_absolute_uri(path)
    return hubs.base_url() + path


def credit_line(certificate):
    if not certificate.carries_credit:
        return _("This activity is not certified for credit.")
    amount = certificate.credit_amount.normalize()
    amount = formats.number_format(amount if amount != amount.to_integral() else int(amount))
    return _("Credit awarded: %(amount)s %(type)s") % {
        "amount": amount,
        "type": certificate.credit_type,
    }


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def pdf(certificate, request=None):
    """The certificate as PDF bytes, in the active language, A4 landscape."""
    brand = current_brand()
    accent = _rgb(brand.accent)
    doc = FPDF(orientation="landscape", format="A4")
    doc.set_title(_("Certificate") + f" {certificate.code}")
    doc.set_author(brand.name)
    doc.set_creator(brand.name)
    doc.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    doc.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    doc.set_auto_page_break(False)
    doc.add_page()
    width = doc.w - 2 * doc.l_margin

    # A frame and a band in the brand's accent.
    doc.set_draw_color(*accent)
    doc.set_line_width(1.2)
    doc.rect(8, 8, doc.w - 16, doc.h - 16)
    doc.set_fill_color(*accent)
    doc.rect(8, 8, doc.w - 16, 22, style="F")
    doc.set_text_color(255, 255, 255)
    doc.set_font("DejaVu", "B", 16)
    doc.set_xy(doc.l_margin, 12)
    doc.cell(width, 14, brand.name, align="C")

    doc.set_text_color(20, 20, 20)
    doc.set_xy(doc.l_margin, 40)
    doc.set_font("DejaVu", "B", 26)
    title = _("Certificate of completion") if not certificate.carries_credit else _("Certificate")
    doc.cell(width, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 12)
    doc.cell(width, 10, _("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "B", 22)
    doc.multi_cell(width, 12, certificate.reader_name, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 12)
    if certificate.profession:
        doc.cell(width, 8, certificate.profession, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.cell(width, 10, _("completed the educational activity"), align="C", new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    doc.set_font("DejaVu", "B", 15)
    doc.multi_cell(width, 8, certificate.activity, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    doc.set_font("DejaVu", "", 11)
    for line in facts(certificate):
        doc.multi_cell(width, 6.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font("DejaVu", "B", 12)
    doc.multi_cell(width, 7, credit_line(certificate), align="C", new_x="LMARGIN", new_y="NEXT")
    if certificate.accreditation_statement:
        doc.set_font("DejaVu", "", 9)
        doc.multi_cell(width, 5, certificate.accreditation_statement, align="C",
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip

    # The ID and where anyone can confirm it, at the foot of the page.
    doc.set_font("DejaVu", "", 9)
    doc.set_text_color(70, 70, 70)
    doc.set_xy(doc.l_margin, doc.h - 30)
    doc.cell(width, 5, _("Certificate ID: %(code)s") % {"code": certificate.code}, align="C",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    url = verification_url(certificate, request)
    doc.cell(width, 5, _("Verify at %(url)s") % {"url": url}, align="C", link=url)
    out = BytesIO()
    doc.output(out)
    return out.getvalue()


def facts(certificate):
    """The dates and scores, one line each, as the page and the PDF print them."""
    date = lambda day: formats.date_format(day, "j F Y")  # noqa: E731
    lines = []
    if certificate.started_on != certificate.completed_on:
        lines.append(
            _("From %(start)s to %(end)s")
            % {"start": date(certificate.started_on), "end": date(certificate.completed_on)}
        )
    else:
        lines.append(_("Completed on %(date)s") % {"date": date(certificate.completed_on)})
    scores = {"total": certificate.total, "after": certificate.score_after}
    if certificate.score_before is not None:
        lines.append(
            _(
                "Score before reading: %(before)s of %(total)s · "
                "after reading: %(after)s of %(total)s"
            )
            % {**scores, "before": certificate.score_before}
        )
    else:
        lines.append(_("Score after reading: %(after)s of %(total)s") % scores)
    issued = timezone.localdate(certificate.issued_at)
    lines.append(_("Issued on %(date)s") % {"date": date(issued)})
    return lines
