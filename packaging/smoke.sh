#!/usr/bin/env bash
# Smoke test of a built CadreDesk folder (dist/cadredesk, or /opt/cadredesk of the .deb):
#
#     bash packaging/smoke.sh DIST_FOLDER
#
# Runs the program the folder holds, as a user would, in a temporary home (nothing of the
# user's data, settings or backups is touched):
#   1. cadredesk --help;
#   2. cadredesk demo --db T/demo.db;
#   3. cadredesk print sheets --db T/demo.db --year 2025 -o T/s.pdf --jobs 2 (two worker
#      processes: a frozen program must start its own workers), then pdftotext finds
#      考核登记表 and pdffonts shows every font embedded; when psycopg is bundled, a PostgreSQL
#      URL with nothing listening is reported as unreachable (the driver loads);
#   4. the window with --platform offscreen, and with --platform xcb on a private Xvfb
#      (when Xvfb is installed), each until its first frame is painted, kept open 2 more
#      seconds, then stopped; neither its messages nor its log may show an error, and no
#      translation (Qt's zh_CN catalogues, the app's own) may be missing.
#
# How "the window is up" is seen without an option in the program for it: Qt's own logging
# category qt.widgets.painting (QT_LOGGING_RULES) prints "Flushing QRegion(...) of
# MainWindow(...)" when the main window's first frame is flushed to the screen, i.e. after the
# database is opened and the roster painted. The program has no --quit-after option, so it is
# then stopped with SIGTERM; a program that exits or crashes by itself before that fails.
# Exit status: 0 all passed; 1 a check failed (the message says which).
set -uo pipefail

fail() { echo "smoke.sh: FAILED: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 DIST_FOLDER" >&2; exit 2; }
DIST=$(cd "$1" 2>/dev/null && pwd) || fail "no folder $1"
APP=$DIST/cadredesk
[ -x "$APP" ] || fail "$APP is missing or not executable"
for tool in pdftotext pdffonts timeout; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install poppler-utils coreutils)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/cadredesk-smoke.XXXXXX")
XVFB_PID=""
cleanup() {
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
# a private home: the app's data folder, settings and log go there
export HOME=$T/home XDG_DATA_HOME=$T/home/.local/share XDG_CONFIG_HOME=$T/home/.config \
  XDG_CACHE_HOME=$T/home/.cache XDG_RUNTIME_DIR=$T/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset QT_QPA_PLATFORM QT_LOGGING_RULES WAYLAND_DISPLAY
LOG=$XDG_DATA_HOME/CadreDesk/CadreDesk/logs/cadredesk.log
cd "$T" || fail "cannot enter $T"
echo "== smoke test of $APP"

# 1. --help
out=$("$APP" --help 2>&1) || fail "cadredesk --help exited with $?: $out"
grep -q "CadreDesk" <<<"$out" || fail "cadredesk --help printed no usage: $out"
echo "ok   --help"

# 2. demo database
out=$("$APP" demo --db "$T/demo.db" 2>&1) || fail "cadredesk demo exited with $?: $out"
[ -s "$T/demo.db" ] || fail "cadredesk demo made no $T/demo.db: $out"
echo "ok   demo: $out"

# 3. 考核登记表 PDF over two worker processes
out=$("$APP" print sheets --db "$T/demo.db" --year 2025 -o "$T/s.pdf" --jobs 2 2>&1) ||
  fail "cadredesk print sheets exited with $?: $out"
[ -s "$T/s.pdf" ] || fail "cadredesk print sheets made no $T/s.pdf: $out"
pdftotext "$T/s.pdf" "$T/s.txt" || fail "pdftotext could not read s.pdf"
grep -q "考核登记表" "$T/s.txt" || fail "s.pdf has no 考核登记表 (pdftotext)"
if pdffonts "$T/s.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit !bad }'; then
  fail "s.pdf has a font that is not embedded: $(pdffonts "$T/s.pdf")"
fi
echo "ok   print sheets: $out"

# the PostgreSQL driver, when the build bundled it: a server that is not there must be reported
# as unreachable, not as a missing driver (port 1 on this machine: nothing listens there)
if [ -d "$DIST/_internal/psycopg_binary" ]; then
  out=$("$APP" hours --db "postgresql://smoke@127.0.0.1:1/smoke" --year 2025 2>&1)
  if grep -q "psycopg" <<<"$out" || ! grep -q "无法连接" <<<"$out"; then
    fail "the bundled PostgreSQL driver did not load: $out"
  fi
  echo "ok   PostgreSQL driver bundled (a server that is not there: $out)"
fi

# 4. the window
MARKER='Flushing QRegion.* of MainWindow('
window() {  # window PLATFORM: start, wait for the first frame (60 s at most), hold, stop
  local platform=$1 err=$T/window-$1.err pid t0 waited=0
  t0=$(date +%s%N)
  QT_LOGGING_RULES="qt.widgets.painting=true" "$APP" --platform "$platform" --db "$T/demo.db" \
    >"$T/window-$platform.out" 2>"$err" &
  pid=$!
  until grep -q "$MARKER" "$err" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      fail "the window ($platform) exited with $? before it was shown; its messages:
$(grep -v '^qt.widgets.painting' "$err" | tail -20)"
    fi
    [ "$waited" -lt 600 ] || { kill -9 "$pid"; fail "the window ($platform) was not shown within 60 s"; }
    sleep 0.1
    waited=$((waited + 1))
  done
  local shown_ms=$((($(date +%s%N) - t0) / 1000000))
  sleep 2
  kill -0 "$pid" 2>/dev/null || { wait "$pid"; fail "the window ($platform) closed by itself (exit $?) after it was shown"; }
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null
  # the translations are loaded before the log file is opened: their warnings go to stderr
  if grep -v '^qt.widgets.painting' "$err" | grep -E "Traceback|Error|translation .* not found"; then
    fail "the window ($platform) printed the errors or warnings above"
  fi
  echo "ok   window --platform $platform: first frame after $shown_ms ms, still open 2 s later"
}
window offscreen

if command -v Xvfb >/dev/null; then
  exec 3>"$T/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$T/xvfb.log" 2>&1 &
  XVFB_PID=$!
  exec 3>&-
  for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
  [ -s "$T/display" ] || fail "Xvfb did not start: $(cat "$T/xvfb.log")"
  DISPLAY=:$(tr -d '\n' <"$T/display") window xcb
  kill "$XVFB_PID" 2>/dev/null
  XVFB_PID=""
else
  echo "skip window --platform xcb: Xvfb is not installed (apt-get install xvfb)"
fi

[ -s "$LOG" ] || fail "the app wrote no log at $LOG"
grep -q "starting on" "$LOG" || fail "the log does not show the start: $(tail -5 "$LOG")"
if grep -E "ERROR|CRITICAL|Traceback|translation .* not found" "$LOG"; then
  fail "the app's log ($LOG) has the errors or warnings above"
fi
echo "ok   log: no errors, Qt's Chinese translations found"
echo "smoke.sh: all passed"
