"""The unit a 任免审批表 belongs to, found from its 现任职务 text.

An .lrmx/.lrm file has no 单位 field, but its 现任职务 names the unit: "白银市委组织部干部科科长",
"靖远县乌兰镇党委书记". :class:`PostUnitIndex` is built once from the unit tree (id -> path
"白银市/市委/市委组织部") and finds, for one 现任职务 text:

* in the first post that names a unit (posts are separated by 、，；), the unit whose name
  reaches furthest into the text, written as its own name or together with the names of its
  parents ("靖远县乌兰镇" for 白银市/靖远县/乌兰镇); then the longest such writing, so the
  full path wins over the leaf name;
* a name followed by "委" does not count: "靖远县委组织部" is the county's Party committee,
  not the unit 靖远县;
* two different units that fit equally well, or none, give no unit and a Chinese message
  asking the user to choose one.

Pure: no database, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["PostUnitIndex", "UnitGuess"]

_POSTS = re.compile(r"[、，,；;\n]+")
_SPACES = re.compile(r"\s+")
# a unit name followed by one of these is part of another organisation's name
_GLUED = ("委",)
_MIN_NAME = 2
_ASK = "请选择默认单位（命令行用 --unit 指定）"


@dataclass(frozen=True)
class UnitGuess:
    """The unit found (``unit_id`` and its ``path``), or None with ``problem`` saying why."""

    unit_id: int | None
    path: str = ""
    problem: str = ""
    # the paths of the units that fit equally well (none when no unit fits)
    candidates: tuple[str, ...] = field(default=(), compare=False)


class PostUnitIndex:
    """Every way a unit's name is written in a post title, built once per import."""

    def __init__(self, paths: Mapping[int, str]):
        self.paths = dict(paths)
        self._names: dict[str, set[int]] = {}
        for uid, path in paths.items():
            parts = [p for p in path.split("/") if p]
            for k in range(len(parts)):
                written = "".join(parts[k:])
                if len(written) >= _MIN_NAME:
                    self._names.setdefault(written, set()).add(uid)

    def _best(self, post: str) -> tuple[tuple[int, int], set[int]]:
        """(end, length) of the best writing found in ``post`` and the units it names."""
        best: tuple[int, int] = (0, 0)
        units: set[int] = set()
        for written, uids in self._names.items():
            start = post.find(written)
            while start >= 0:
                end = start + len(written)
                if not post.startswith(_GLUED, end):
                    key = (end, len(written))
                    if key > best:
                        best, units = key, set(uids)
                    elif key == best:
                        units |= uids
                start = post.find(written, start + 1)
        return best, units

    def match(self, post_title: str | None) -> UnitGuess:
        text = _SPACES.sub("", post_title or "")
        if not text:
            return UnitGuess(None, problem=f"必填：任免审批表不写单位，现任职务也是空的，{_ASK}")
        for post in _POSTS.split(text):
            if not post:
                continue
            _key, units = self._best(post)
            if len(units) == 1:
                uid = next(iter(units))
                return UnitGuess(uid, self.paths[uid])
            if len(units) > 1:
                found = tuple(sorted(self.paths[u] for u in units))
                shown = "、".join(found[:3])
                more = "等" if len(units) > 3 else ""
                return UnitGuess(
                    None,
                    problem=(
                        f"必填：现任职务“{post_title}”可对应{len(units)}个单位（{shown}{more}），"
                        f"无法确定，{_ASK}"
                    ),
                    candidates=found,
                )
        return UnitGuess(None, problem=f"必填：无法从现任职务“{post_title}”找到对应的单位，{_ASK}")
