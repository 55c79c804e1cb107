"""CSV downloads that a spreadsheet cannot turn into formulas.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by
Excel and LibreOffice (CSV injection); such cells get a leading apostrophe, which
spreadsheets show as text. Numbers are written as numbers.
"""

import csv
import re

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def guard(value):
    """One cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class GuardedWriter:
    """csv.writer with every cell guarded."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([guard(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_response(filename, header, rows):
    """An attachment download of `rows` under `header`, every cell guarded."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = GuardedWriter(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
