# Replaces PyInstaller's hook for PySide6.QtGui (hooks given to the spec's hookspath take
# precedence over PyInstaller's own): the same collection, less the Qt plugins CadreDesk has
# no use for. Leaving a plugin out here also leaves out the libraries only it needs.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# plugin file stems (without "lib" and the suffix), on every platform
UNUSED_PLUGINS = {
    # window systems for embedded devices and remote framebuffers: the app needs offscreen,
    # xcb (X11), wayland, minimal, and windows on Windows
    "qeglfs",
    "qminimalegl",
    "qlinuxfb",
    "qvnc",
    "qvkkhrdisplay",
    # the on-screen keyboard: brings QtQuick, QtQml and QtVirtualKeyboard (about 17 MB)
    "qtvirtualkeyboardplugin",
    # the GTK 3 theme: would load the desktop's GTK with the bundled cairo/pango (a mix that
    # can crash); Qt's own Fusion style is used instead
    "qgtk3",
}
# whole plugin folders: input devices and EGL back ends of eglfs/linuxfb (left out above)
UNUSED_TYPES = {"egldeviceintegrations", "generic"}


def _wanted(entry):
    src, dest = entry[0], entry[1].replace("\\", "/")
    folder = dest.rsplit("/plugins/", 1)[-1] if "/plugins/" in dest else ""
    stem = src.replace("\\", "/").rsplit("/", 1)[-1].split(".")[0].removeprefix("lib")
    return folder not in UNUSED_TYPES and stem not in UNUSED_PLUGINS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [b for b in binaries if _wanted(b)]
