# Replaces PyInstaller's hook for PySide6.QtNetwork: the module itself (every PySide6 module
# links it) without its plugins. CadreDesk makes no network requests through Qt, so the TLS
# back ends and the network-status plugins (which bring GLib/GIO and NetworkManager glue) are
# left out.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [b for b in binaries if "/plugins/" not in "/" + b[1].replace("\\", "/") + "/"]
