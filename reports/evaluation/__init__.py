"""单位考评 on paper: the half-year 督查通报 (:func:`bulletin_pdf`, :func:`print_bulletin`)."""

from reports.evaluation.bulletin import bulletin_pdf, print_bulletin

__all__ = ["bulletin_pdf", "print_bulletin"]
