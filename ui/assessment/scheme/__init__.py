"""The 考核方案 tab of 五项考核: the editor of a round's scheme (items, rater groups and vote
values in tables; composite weights, grade lines, the 优秀 quota and tie-breaks; the 平时考核
settings), checked as it is typed and saved with optimistic locking.
"""

from ui.assessment.scheme.editor import SchemeEditor

__all__ = ["SchemeEditor"]
