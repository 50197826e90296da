#!/usr/bin/env bash
# Mutation testing of one module or package of pure rules with mutmut 3.
#
#   benchmarks/mutation.sh PACKAGE_PATH[::FUNC,FUNC...] [TEST_PATHS...]
#
#   benchmarks/mutation.sh models/roster/idcard.py \
#       tests/models/roster/test_idcard.py tests/properties/test_idcard.py
#   benchmarks/mutation.sh models/assessment/engine/pool.py::quota_for,excellent_quota \
#       tests/properties/test_quota.py tests/models/assessment/test_engine.py
#
# mutmut runs in a throw-away copy of the checkout (made with tar, without .venv and .git),
# so no mutants/ folder is written into the repository and edits made in the checkout during
# the run do not change what is measured. Its [tool.mutmut] section is written into the
# copy's pyproject.toml: source_paths = the module, also_copy = the packages the tests import,
# pytest_add_cli_args_test_selection = the tests. "::FUNC,..." keeps only the mutants of those
# functions (mutmut 3 names a mutant module.x_func__mutmut_N, module.xǁClassǁmethod__mutmut_N).
#
# Prints the figures of the package: mutants listed in benchmarks/mutation-equivalent.txt
# (first word of a line: the mutant name; the rest: why it cannot change behaviour) are
# counted apart and left out of the share. MUTATION_KEEP=1 keeps the copy to look at
# (mutmut show NAME inside it); MUTATION_JOBS sets the number of parallel workers.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 PACKAGE_PATH[::FUNC,FUNC...] [TEST_PATHS...]" >&2
    exit 2
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=$1
shift
PACKAGE=${TARGET%%::*}
FUNCS=""
[[ $TARGET == *::* ]] && FUNCS=${TARGET#*::}
if [[ $# -gt 0 ]]; then
    TESTS=("$@")
else
    TESTS=(tests)
fi
PY=${PYTHON:-$REPO/.venv/bin/python}
MUTMUT=${MUTMUT:-$REPO/.venv/bin/mutmut}
EQUIVALENT=$REPO/benchmarks/mutation-equivalent.txt

[[ -e $REPO/$PACKAGE ]] || { echo "no such module or package: $PACKAGE" >&2; exit 2; }
for t in "${TESTS[@]}"; do
    [[ -e $REPO/${t%%::*} ]] || { echo "no such test path: $t" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cadredesk-mutation.XXXXXX")
cleanup() {
    if [[ ${MUTATION_KEEP:-0} == 1 ]]; then
        echo "kept the run's copy: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

tar -C "$REPO" -cf - --exclude=./.venv --exclude=./.git --exclude=./mutants \
    --exclude=./out --exclude=./screenshots --exclude=__pycache__ --exclude=.pytest_cache \
    --exclude=.ruff_cache --exclude=.hypothesis --exclude=.import_linter_cache \
    --exclude='*.db' --exclude='*.db-wal' --exclude='*.db-shm' . | tar -C "$WORK" -xf -

# [tool.mutmut] of this run, replacing one the checkout may have
"$PY" - "$WORK/pyproject.toml" "$PACKAGE" "${TESTS[@]}" <<'PYEOF'
import json
import re
import sys
from pathlib import Path

path, package, tests = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", path.read_text("utf-8"))
also_copy = ["models", "reports", "ui", "resources", "tests", "main.py"]
text += f"""
[tool.mutmut]
source_paths = {json.dumps([package])}
also_copy = {json.dumps(also_copy)}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]
pytest_add_cli_args_test_selection = {json.dumps(tests)}
use_git_change_detection = false
"""
path.write_text(text, "utf-8")
PYEOF

NAMES=()
if [[ -n $FUNCS ]]; then
    MODULE=${PACKAGE%.py}
    MODULE=${MODULE//\//.}
    IFS=, read -r -a FUNC_LIST <<<"$FUNCS"
    for f in "${FUNC_LIST[@]}"; do
        NAMES+=("$MODULE.x_${f}__mutmut_*")
    done
fi

JOBS=${MUTATION_JOBS:-$(nproc)}
echo "mutmut on $TARGET with ${TESTS[*]} (copy: $WORK, $JOBS workers)"
START=$(date +%s)
(
    cd "$WORK"
    export QT_QPA_PLATFORM=offscreen
    "$MUTMUT" run --max-children "$JOBS" "${NAMES[@]}" >"$WORK/mutmut-run.log" 2>&1
) || {
    echo "mutmut run failed; its output:" >&2
    tail -n 60 "$WORK/mutmut-run.log" >&2
    exit 1
}
END=$(date +%s)

cd "$WORK"
"$PY" - "$PACKAGE" "$FUNCS" "$EQUIVALENT" "$((END - START))" <<'PYEOF'
import json
import sys
from pathlib import Path

package, funcs, equivalent_file, seconds = sys.argv[1:5]
wanted = {f for f in funcs.split(",") if f}

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout",
          37: "caught by type check", None: "not checked"}


def function_of(name: str) -> str:
    """x_parse__mutmut_3 → parse; xǁClassǁmethod__mutmut_1 → Class.method"""
    last = name.rpartition(".")[2].rpartition("__mutmut_")[0]
    return last.removeprefix("x_").removeprefix("xǁ").replace("ǁ", ".")


equivalent: dict[str, str] = {}
eq_path = Path(equivalent_file)
if eq_path.exists():
    for line in eq_path.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            equivalent[name] = reason.strip()

results: dict[str, str] = {}
root = Path("mutants")
target = Path(package)
metas = [root / f"{target}.meta"] if target.suffix == ".py" else sorted((root / target).rglob("*.py.meta"))
for meta in metas:
    data = json.loads(meta.read_text("utf-8"))
    for name, code in data["exit_code_by_key"].items():
        if wanted and function_of(name) not in wanted:
            continue
        results[name] = STATUS.get(code, "suspicious")

killed = sorted(n for n, s in results.items() if s in ("killed", "timeout") and n not in equivalent)
survived = sorted(n for n, s in results.items() if s not in ("killed", "timeout") and n not in equivalent)
listed = sorted(n for n in results if n in equivalent)
for n in survived:
    print(f"  {results[n]}: {n}")
for n in listed:
    if results[n] in ("killed", "timeout"):
        print(f"  listed as equivalent but killed (remove it from the list): {n}")
module = package.removesuffix(".py").replace("/", ".")
for n in sorted(equivalent):
    if n.startswith(module + ".") and n not in results and (not wanted or function_of(n) in wanted):
        print(f"  listed as equivalent but no such mutant (the source changed?): {n}")
scored = len(killed) + len(survived)
share = 100 * len(killed) / scored if scored else 0.0
timeouts = sum(results[n] == "timeout" for n in killed)
if timeouts:
    print(f"  {timeouts} of the killed mutants were stopped by mutmut's timeout")
print(f"{len(results)} mutants of {package}{'::' + funcs if funcs else ''} in {seconds} s")
print(f"killed {len(killed)} / survived {len(survived)} / equivalent-listed {len(listed)}"
      f" / killed share {share:.1f} %")
PYEOF
