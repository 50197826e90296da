"""Screenshots of accounts on a 60-cadre demo: first_admin-1.png and first_admin-2.png (the
first-run wizard on a database without accounts), login.png (a wrong password said in the
dialog) and login_locked.png (the lock-out), accounts.png (the 账号管理 section with every
role, a locked and a deactivated account) and account_dialog.png (a 考核录入 account with its
units).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from models.accounts import (
    AccountInput,
    LoginError,
    create_account,
    find_account,
    login,
    logout,
    set_active,
)
from models.roster import find_unit
from tests.ui.screenshots import harness
from ui.accounts import AccountDialog, FirstAdminWizard, LoginDialog

PASSWORD = "Baiyin2026"


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=60, seed=1, parts=()) as shots:
        wizard = FirstAdminWizard(mandatory=True)
        wizard.show()
        shots.settle()
        shots.save(wizard, "first_admin-1.png")
        wizard.next()
        page = wizard.account_page
        page.display_name.setText("张伟")
        page.password.first.setText(PASSWORD)
        page.password.second.setText(PASSWORD[:-1])
        wizard.button(QWizard.WizardButton.FinishButton).click()  # the two entries differ
        shots.settle()
        shots.save(wizard, "first_admin-2.png")
        page.password.second.setText(PASSWORD)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        wizard.close()

        county = find_unit("靖远县").id
        people = [
            ("liming", "李明", "干部科", ()),
            ("wangfang", "王芳", "教育培训", ()),
            ("zhaomin", "赵敏", "考核录入", (county,)),
            ("sunli", "孙丽", "只读", ()),
            ("zhouqiang", "周强", "只读", ()),
        ]
        for username, name, role, units in people:
            create_account(AccountInput(username, name, role, units), PASSWORD)
        quitter = find_account("zhouqiang")
        set_active(quitter.id, quitter.version, False)
        logout()
        for _ in range(5):  # 孙丽 forgot her password
            with contextlib.suppress(LoginError):
                login("sunli", "wrong-password-1")
        login("liming", PASSWORD)  # a login time to show
        logout()

        dialog = LoginDialog(username="admin")
        dialog.show()
        dialog.password.setText("Baiyin2025")
        dialog.try_login()
        shots.settle()
        shots.save(dialog, "login.png")
        dialog.username.setText("sunli")
        dialog.password.setText(PASSWORD)
        dialog.try_login()
        shots.settle()
        shots.save(dialog, "login_locked.png")
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORD)
        dialog.try_login()
        dialog.close()

        window = shots.main_window()
        view = window.accounts_view
        harness.show_section(window, view)
        view.table.selectRow(view.model.row_of(find_account("sunli").id) or 0)
        shots.settle()
        shots.save(window, "accounts.png")

        editor = AccountDialog(window, find_account("zhaomin"))
        editor.show()
        town = editor.units.findItems("乌兰镇", Qt.MatchFlag.MatchRecursive)
        if town:
            editor.units.scrollToItem(town[0])
        shots.settle()
        shots.save(editor, "account_dialog.png")
        editor.close()
        logout()
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
