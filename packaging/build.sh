#!/usr/bin/env bash
# Builds CadreDesk for Linux: the one-folder program dist/cadredesk/ (PyInstaller,
# packaging/cadredesk.spec), then dist/cadredesk_<version>_<arch>.deb, which installs it into
# /opt/cadredesk with /usr/bin/cadredesk, a desktop entry and an icon.
#
#     bash packaging/build.sh            (from anywhere; uses the repository's .venv)
#
# Needs the venv with requirements.txt installed (PyInstaller is installed into it here from
# requirements-build.txt when missing), dpkg-deb, and desktop-file-validate (Debian package
# desktop-file-utils, listed in .ci/apt-packages.txt). Windows: see packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
DIST=$ROOT/dist
WORK=$ROOT/build

fail() { echo "build.sh: $*" >&2; exit 1; }
[ -x "$PY" ] || fail "no Python at $PY: make the venv first (python3 -m venv .venv && .venv/bin/pip install -r requirements.txt)"
for tool in dpkg-deb desktop-file-validate readelf; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install dpkg-dev desktop-file-utils binutils)"
done

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "== installing PyInstaller (requirements-build.txt)"
  "$PY" -m pip install -q -r requirements-build.txt
fi

VERSION=$("$PY" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")
ARCH=$(dpkg --print-architecture)
echo "== PyInstaller $("$PY" -m PyInstaller --version): cadredesk $VERSION ($ARCH)"

start=$SECONDS
rm -rf "$DIST/cadredesk"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath "$WORK/pyinstaller" --distpath "$DIST" packaging/cadredesk.spec
[ -x "$DIST/cadredesk/cadredesk" ] || fail "PyInstaller made no $DIST/cadredesk/cadredesk"
echo "== dist/cadredesk: $(du -sh "$DIST/cadredesk" | cut -f1), built in $((SECONDS - start)) s"

# ---- the .deb ----------------------------------------------------------------------------
PKG=cadredesk_${VERSION}_${ARCH}
STAGE=$WORK/deb/$PKG
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/doc/cadredesk"
cp -a "$DIST/cadredesk" "$STAGE/opt/cadredesk"
# the bootloader finds _internal/ beside the real file, so a symlink on the PATH is enough
ln -s /opt/cadredesk/cadredesk "$STAGE/usr/bin/cadredesk"
install -m 644 packaging/cadredesk.desktop "$STAGE/usr/share/applications/cadredesk.desktop"
install -m 644 packaging/cadredesk.png "$STAGE/usr/share/icons/hicolor/256x256/apps/cadredesk.png"
cat > "$STAGE/usr/share/doc/cadredesk/copyright" <<'EOF'
CadreDesk 干部教育培训与考核管理系统
The bundled font WenQuanYi Micro Hei and its licence: /opt/cadredesk/_internal/resources/fonts/
Qt (LGPL-3.0) and the other bundled libraries keep their own licences.
EOF

# What the bundle needs from the system: the libraries its files link that PyInstaller left
# out on purpose (libc, GL/EGL, xcb, wayland), as the packages that hold them here, and the
# newest glibc symbol version any bundled file asks for.
needed=$(find "$DIST/cadredesk" -type f \( -name '*.so*' -o -name cadredesk \) -print0 |
  xargs -0 -n 50 readelf -d 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u)
bundled=$(find "$DIST/cadredesk" -printf '%f\n' | sort -u)
# libraries that are not installed on the building machine: their Debian packages by name
declare -A KNOWN=([libwayland-client.so.0]=libwayland-client0 [libwayland-cursor.so.0]=libwayland-cursor0
  [libwayland-egl.so.1]=libwayland-egl1 [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libxcb.so.1]=libxcb1)
depends=()
for lib in $(comm -23 <(echo "$needed") <(echo "$bundled")); do
  # awk reads to the end (no early exit): under pipefail an early exit can kill ldconfig
  # with SIGPIPE while it still writes, and the build stops with status 141 now and then
  path=$(/sbin/ldconfig -p | awk -v l="$lib" '$1 == l && !found { print $NF; found = 1 }')
  pkg=""
  if [ -n "$path" ]; then
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    pkg=${pkg%%:*}
  fi
  [ -n "$pkg" ] || pkg=${KNOWN[$lib]:-}
  [ -n "$pkg" ] || { echo "   warning: no package known for $lib (needed by the bundle)" >&2; continue; }
  [ -n "$pkg" ] && [ "$pkg" != libc6 ] && depends+=("$pkg")
done
glibc=$(find "$DIST/cadredesk" -type f \( -name '*.so*' -o -name cadredesk \) -print0 |
  xargs -0 -n 50 readelf -V -W 2>/dev/null | grep -o 'Name: GLIBC_[0-9.]*' |
  sed 's/Name: GLIBC_//' | sort -uV | tail -1)
DEPENDS="libc6 (>= $glibc)$(printf ', %s' $(printf '%s\n' "${depends[@]}" | sort -u))"

cat > "$STAGE/DEBIAN/control" <<EOF
Package: cadredesk
Version: $VERSION
Architecture: $ARCH
Maintainer: CadreDesk <cadredesk@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $DEPENDS
Recommends: fonts-noto-cjk | fonts-wqy-microhei, fonts-arphic-uming, libxcb-cursor0, libxkbcommon-x11-0, libcups2
Section: misc
Priority: optional
Homepage: https://localhost/cadredesk
Description: 干部教育培训与考核管理系统 (CadreDesk)
 离线桌面程序：干部名册、三三制培训班排课、学时、年度考核与考核登记表（PDF）。
 数据保存在本机 SQLite 文件或本部门共用的 PostgreSQL 数据库中，运行时不访问网络。
 程序装在 /opt/cadredesk，命令为 cadredesk（cadredesk --help 列出命令行功能）。
EOF

echo "== desktop-file-validate"
desktop-file-validate "$STAGE/usr/share/applications/cadredesk.desktop"

DEB=$DIST/$PKG.deb
start=$SECONDS
# xz, which every dpkg reads (zstd is not read by the older dpkg of some Kylin/UOS releases);
# level 1 packs in ~16 s here against ~190 s at dpkg-deb's default 6, for a .deb ~10% larger;
# a release may set DEB_XZ_LEVEL=6 or 9. --root-owner-group: every file owned by root.
dpkg-deb --root-owner-group -Zxz "-z${DEB_XZ_LEVEL:-1}" --build "$STAGE" "$DEB" >/dev/null
echo "== $DEB: $(du -h "$DEB" | cut -f1), packed in $((SECONDS - start)) s"
dpkg-deb --info "$DEB" | sed -n '/Package:/,$p'
dpkg-deb --contents "$DEB" > "$DIST/$PKG.contents.txt"
echo "== dpkg-deb --contents: $(wc -l < "$DIST/$PKG.contents.txt") entries (all in dist/$PKG.contents.txt); outside _internal/:"
grep -v '/_internal/.' "$DIST/$PKG.contents.txt"
