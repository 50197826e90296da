"""修改记录: the change log with filters (日期, 人员, 单位, 类别, 账号), a page at a time, and
its export to xlsx for an inspector (:class:`AuditView`).
"""

from ui.audit.audit_view import AuditView, audit_columns

__all__ = ["AuditView", "audit_columns"]
