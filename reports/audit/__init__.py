"""The change log (修改记录) exported as an xlsx for an inspector
(:func:`export_audit_xlsx`): the period and filters in the title, one row per change.
"""

from reports.audit.audit_xlsx import export_audit_xlsx, readable_by_others, title_of

__all__ = ["export_audit_xlsx", "readable_by_others", "title_of"]
