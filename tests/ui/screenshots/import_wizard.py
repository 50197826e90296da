"""Screenshots of the import wizard and the 代码表 screen, on a 300-cadre demo and a generated
花名册: import_mapping.png (the column mapping), import_preview_errors.png (the preview with
its error rows), import_not_imported_columns.png (the preview of a two-row-header 名册 with
its “未导入的列” list), import_unmapped_values.png (step “未识别的代码值” of a 名册 written
with an office's own words), import_unsure_units.png (step “确定单位” of two 任免审批表
whose 现任职务 names several units / none) and codes_view.png (the 职级 code table).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from models.roster import idcard
from models.roster import service as roster
from models.roster.intake import write_lrmx
from models.roster.tables import Unit
from tests.fixtures.roster_layouts import write_two_row_combined
from tests.ui.screenshots import harness
from ui.roster.importing.wizard import ImportWizard

HEADER = ["序号", "姓 名", "性别", "出生年月", "民族", "政治面貌", "入党时间", "公民身份号码",
          "工作单位", "现任职务", "职级", "个人手机", "档案编号"]  # fmt: skip


def new_id(birth: str, seq: int, male: bool) -> str:
    first17 = f"620402{birth}{seq * 10 + (1 if male else 2):03d}"
    return first17 + idcard.check_char(first17)


def write_sheet(path: Path, demo_ids: list[str]) -> None:
    """A 花名册 with a title row, two columns nobody recognises, and a few mistakes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "市直机关"
    ws.append(["白银市直机关干部花名册（2026年11月）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    good = new_id("19850416", 7, True)
    bad = new_id("19911203", 8, False)
    bad = bad[:-1] + ("1" if bad[-1] != "1" else "2")  # a wrong check digit
    rows = [
        ["吴刚", "男", "1985.04", "汉族", "中共党员", "2008.06", good, "白银市/市委/市委组织部",
         "干部科科员", "一级科员"],
        ["郑爽", "女", "1991.12", "汉族", "共青团员", "", bad,
         "白银市/市委/市委组织部", "干部科科员", "二级科员"],
        ["孙海涛", "男", "1979.3", "回族", "中共党员", "2001.07", new_id("19790321", 9, True),
         "白银市/白银区", "副区长", "处长"],
        ["李明华", "男", "1983年7月", "汉族", "中共党员", "2005.12", new_id("19830702", 3, True),
         "白银市/靖远县", "县委办公室主任", "一级主任科员"],
        ["周婷", "女", "1990-02", "汉族", "群众", "", new_id("19900211", 4, False),
         "白银市/会宁县", "科员", "一级科员"],
        ["钱志强", "男", "197608", "汉族", "中共党员", "1999.07", demo_ids[0], "白银市/白银区",
         "区委副书记", "二级巡视员"],
        ["王建国", "男", "1968.10", "汉族", "中共党员", "1992.05", new_id("19681030", 5, True),
         "白银市/景泰县", "调研员", "三级调研员"],
        ["赵丽", "女", "1994.05", "汉族", "中共党员", "2016.06", new_id("19940518", 6, False),
         "白银市/平川区", "科员", "四级主任科员"],
    ]  # fmt: skip
    for n, r in enumerate(rows, start=1):
        ws.append([n, *r, f"1390943{n:04d}", f"BY-{n:04d}"])
    wb.save(path)


VALUES_HEADER = ["姓名", "性别", "出生年月", "公民身份号码", "工作单位", "民族", "政治面貌",
                 "全日制学历", "全日制学位"]  # fmt: skip


def write_office_words(path: Path) -> Path:
    """A 名册 whose 学历/政治面貌 are written in an office's own words: short names the
    code tables know as 别名, and a few values they do not know at all."""
    wb = Workbook()
    ws = wb.active
    ws.append(VALUES_HEADER)
    rows = [
        ("马小军", "男", "19860312", "回", "党员", "大学", "经济学学士"),
        ("刘芳", "女", "19880521", "汉", "党员", "大学本科（函授）", ""),
        ("何伟", "男", "19820109", "汉族", "预备党员", "大专", ""),
        ("陈静", "女", "19900830", "汉", "群众", "大学本科(函授)", ""),
        ("杨光", "男", "19791122", "汉", "农民", "中央党校大学", "学士学位"),
        ("黄蕾", "女", "19870415", "汉", "党员", "电大", ""),
        ("郭强", "男", "19850707", "汉", "党员", "大学本科（函授）", "工学学士"),
    ]
    for n, (name, sex, birth, ethnic, party, edu, degree) in enumerate(rows, start=20):
        number = new_id(birth, n % 90, sex == "男")
        ws.append([name, sex, f"{birth[:4]}.{birth[4:6]}", number, "白银市/会宁县", ethnic,
                   party, edu, degree])  # fmt: skip
    wb.save(path)
    return path


def write_unsure_lrmx(folder: Path) -> Path:
    """Two 任免审批表: “信访办主任” fits the 信访办 of two counties (added here), “兰州市某局
    局长” no unit."""
    folder.mkdir(exist_ok=True)
    by_path = {p: uid for uid, p in roster.unit_paths().items()}
    for county in ("白银市/靖远县", "白银市/会宁县"):
        Unit.create(name="信访办", parent=by_path[county], sort_order=900)
    people = [
        ("马建军", "男", "19780315", "信访办主任"),
        ("林秀英", "女", "19830922", "兰州市某局局长"),
    ]
    for n, (name, sex, birth, post) in enumerate(people, start=40):
        born = dt.date(int(birth[:4]), int(birth[4:6]), 1)
        record = {"name": name, "sex": sex, "birth_date": born,
                  "id_card": new_id(birth, n, sex == "男"), "post_title": post}  # fmt: skip
        (folder / f"{name}.lrmx").write_bytes(write_lrmx(record))
    return folder


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        sheet = shots.folder / "市直机关花名册.xlsx"
        first = roster.get_cadre(roster.query_ids(roster.RosterFilter())[0])
        write_sheet(sheet, [first.id_card])

        wizard = ImportWizard()
        wizard.resize(1180, 640)
        wizard.show()
        wizard.path_edit.setText(str(sheet))
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.MAPPING)
        wizard.set_column_choice("L", "phone")
        shots.settle()
        shots.save(wizard, "import_mapping.png")

        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.OPTIONS)
        wizard.go_next()  # 职级“处长” is no 职级: asked about first, left as it is
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.VALUES)
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.PREVIEW)
        shots.save(wizard, "import_preview_errors.png")
        wizard.close()

        # a 组织部 名册 with a two-row header: the columns it has no place for are listed
        layouts = shots.folder / "组织部名册"
        layouts.mkdir(exist_ok=True)
        wizard = ImportWizard()
        wizard.resize(1180, 640)
        wizard.show()
        wizard.path_edit.setText(str(write_two_row_combined(layouts)))
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.MAPPING)
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.OPTIONS)
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.PREVIEW)
        shots.settle()
        shots.save(wizard, "import_not_imported_columns.png")
        wizard.close()

        # values no code-table item knows: asked once each, with how many rows hold them
        wizard = ImportWizard()
        wizard.resize(1180, 640)
        wizard.show()
        wizard.path_edit.setText(str(write_office_words(shots.folder / "会宁县名册.xlsx")))
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.OPTIONS)
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.VALUES)
        wizard.set_value_choice(0, "大学本科")
        shots.settle()
        shots.save(wizard, "import_unmapped_values.png")
        wizard.close()

        # 任免审批表 whose 现任职务 names several units, or none: the unit is asked, per person
        wizard = ImportWizard()
        wizard.resize(1180, 640)
        wizard.show()
        wizard.path_edit.setText(str(write_unsure_lrmx(shots.folder / "任免审批表")))
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.OPTIONS)
        wizard.go_next()
        shots.wait(lambda: wizard.job is None and wizard.page == ImportWizard.UNITS)
        row = next(r for r, u in enumerate(wizard.unsure_shown) if u.candidates)
        wizard.set_unit_choice(row, wizard.unsure_shown[row].candidates[0])
        shots.settle()
        shots.save(wizard, "import_unsure_units.png")
        wizard.close()

        window = shots.main_window()
        harness.show_section(window, window.codes_view)
        window.codes_view.select_kind("rank")
        shots.settle()
        shots.save(window, "codes_view.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
