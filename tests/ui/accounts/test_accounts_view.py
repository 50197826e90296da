"""The first-run wizard, the 账号管理 screen, the account and password dialogs, and the 账号
menu of the main window: what a user sees and what gets stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizard

from models.accounts import (
    AccountInput,
    create_account,
    current_account,
    find_account,
    has_accounts,
    login,
    update_account,
)
from tests.ui.accounts.conftest import PASSWORD
from ui import messages
from ui.accounts import AccountDialog, AccountsView, FirstAdminWizard, PasswordDialog
from ui.accounts.account_dialog import checked_units
from ui.common import ok_button
from ui.main_window import MainWindow


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_first_run_wizard_creates_the_administrator_and_logs_in(qtbot, database):
    wizard = FirstAdminWizard(mandatory=True)
    qtbot.addWidget(wizard)
    wizard.show()
    intro = wizard.intro.findChild(QLabel, "first_admin_text").text()
    assert "由多人共用，还没有任何账号" in intro
    assert "考核录入" in wizard.intro.findChild(QLabel, "first_admin_roles").text()
    wizard.next()
    page = wizard.account_page
    assert wizard.currentPage() is page
    assert page.username.text() == "admin"
    page.display_name.setText("张伟")  # QTest types ASCII only
    qtbot.keyClicks(page.password.first, "short1")
    qtbot.keyClicks(page.password.second, "short1")
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert "密码至少 8 位" in page.error.text()
    assert not has_accounts()
    page.password.first.setText(PASSWORD)
    page.password.second.setText(PASSWORD + "x")
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert page.error.text() == "两次输入的密码不一致"
    page.password.second.setText(PASSWORD)
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.account is not None
    me = current_account()
    assert (me.username, me.display_name, me.role) == ("admin", "张伟", "系统管理员")


def test_without_accounts_the_screen_offers_the_administrator(qtbot, database, monkeypatch):
    view = AccountsView()
    qtbot.addWidget(view)
    assert "此数据库还没有账号" in view.notice.text()
    assert not view.create_admin_button.isHidden()
    assert view.table.isHidden()

    def make(cls, parent=None, *, mandatory=False):
        from models.accounts import create_first_admin

        assert mandatory is False  # offered, not forced, on a single-user file
        create_first_admin("admin", "管理员", PASSWORD)
        return login("admin", PASSWORD)

    monkeypatch.setattr(FirstAdminWizard, "ask", classmethod(make))
    with qtbot.waitSignal(view.accountChanged):
        _click(qtbot, view.create_admin_button)
    assert view.create_admin_button.isHidden()
    assert not view.table.isHidden()
    assert view.model.text(0, 0) == "admin"
    assert view.model.text(0, 2) == "系统管理员"


def test_the_screen_lists_accounts_for_the_administrator(
    qtbot, qtmodeltester, admin, units, monkeypatch
):
    login("admin", PASSWORD)
    create_account(AccountInput("clerk", "王录入", "考核录入", (units["county"],)), PASSWORD)
    view = AccountsView()
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    assert view.model.headers() == [
        "登录名",
        "姓名",
        "角色",
        "负责单位",
        "状态",
        "上次登录",
        "建立时间",
    ]
    rows = [[view.model.text(r, c) for c in range(5)] for r in range(view.model.rowCount())]
    assert rows == [
        ["admin", "管理员", "系统管理员", "", "正常"],
        ["clerk", "王录入", "考核录入", "靖远县", "正常"],
    ]
    assert "共 2 个账号" in view.notice.text()
    # 停用 after a confirmation
    view.table.selectRow(1)
    assert view.active_button.text() == "停用"
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda _p, _title, text: asked.append(text) or True)
    _click(qtbot, view.active_button)
    assert asked == ["停用账号 clerk（王录入）？停用后不能登录，其修改记录保留。"]
    assert view.model.text(1, 4) == "停用"
    assert view.active_button.text() == "启用"


def test_others_are_told_only_the_administrator_manages_accounts(qtbot, admin):
    login("admin", PASSWORD)
    create_account(AccountInput("reader", "", "只读"), PASSWORD)
    login("reader", PASSWORD)
    view = AccountsView()
    qtbot.addWidget(view)
    assert "只有系统管理员可以管理账号。当前账号：reader（只读）" in view.notice.text()
    assert view.table.isHidden()
    assert view.tools.isHidden()


def test_account_dialog_makes_a_score_clerk_with_its_units(qtbot, admin, units):
    login("admin", PASSWORD)
    dlg = AccountDialog()
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, "clerk")
    dlg.role.setCurrentText("只读")
    assert not dlg.units.isEnabled()
    dlg.role.setCurrentText("考核录入")
    assert dlg.units.isEnabled()
    assert "勾选负责的单位" in dlg.role_text.text()
    dlg.password.first.setText(PASSWORD)
    dlg.password.second.setText(PASSWORD)
    _click(qtbot, ok_button(dlg.buttons))
    assert "考核录入账号须至少指定一个单位" in dlg.error.text()
    town = dlg.units.findItems("乌兰镇", Qt.MatchFlag.MatchRecursive)[0]
    town.setCheckState(0, Qt.CheckState.Checked)
    assert checked_units(dlg.units) == [units["town"]]
    _click(qtbot, ok_button(dlg.buttons))
    assert dlg.result_dto is not None
    assert find_account("clerk").unit_names == ("乌兰镇",)


def test_account_dialog_says_when_someone_else_changed_the_account(qtbot, admin):
    login("admin", PASSWORD)
    clerk = create_account(AccountInput("clerk", "王录入", "只读"), PASSWORD)
    dlg = AccountDialog(account=clerk)
    qtbot.addWidget(dlg)
    assert dlg.username.isReadOnly()
    update_account(clerk.id, clerk.version, display_name="李录入", role="只读")  # another screen
    dlg.display_name.setText("赵录入")
    _click(qtbot, ok_button(dlg.buttons))
    assert "账号“clerk”已被 admin 于" in dlg.error.text()
    assert "请刷新后重试" in dlg.error.text()
    assert find_account("clerk").display_name == "李录入"


def test_changing_ones_own_password(qtbot, admin):
    login("admin", PASSWORD)
    dlg = PasswordDialog()
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.old, "Wrong2026")
    dlg.new.first.setText("Changed2027")
    dlg.new.second.setText("Changed2027")
    _click(qtbot, ok_button(dlg.buttons))
    assert dlg.error.text() == "原密码不对，密码未修改"
    dlg.old.setText(PASSWORD)
    _click(qtbot, ok_button(dlg.buttons))
    assert dlg.result() == PasswordDialog.DialogCode.Accepted
    assert login("admin", "Changed2027").username == "admin"


def test_main_window_has_the_account_menu_and_section(qtbot, admin, db_path):
    login("admin", PASSWORD)
    w = MainWindow(db_path)
    qtbot.addWidget(w)
    assert w.account_menu.label.text() == "当前账号：admin（管理员），系统管理员"
    names = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert "账号管理" in names
    w.nav.setCurrentRow(names.index("账号管理"))
    assert isinstance(w.accounts_view, AccountsView)
    assert w.accounts_view.model.rowCount() == 1
    actions = [a.text() for a in w.menuBar().actions()[-1].menu().actions() if a.text()]
    assert actions == ["修改密码…", "切换账号…", "注销"]
