#!/usr/bin/env bash
# Coccinelle's scripts/coccinelle/locks/mini_lock.cocci beside
# `tagcheck scan` on the same kernel directory, in the same run: report
# counts, wall seconds, peak RSS and the speed ratio (cocci / tagcheck).
#
# Usage (from the repository root): bench/cocci.sh [DIR...]
#   DIR is relative to the kernel tree (default: fs); several DIRs are
#   scanned one after the other by both tools and the figures summed.
#   KERNEL defaults to $TAGCHECK_KERNEL, then ~/src/linux-source-6.1.
#   COCCI_JOBS (default 2) is spatch's --jobs.
#   COCCI_REV=<rev> builds tagcheck from that commit (git archive) instead
#   of the working tree, so that a run does not depend on uncommitted
#   edits; the build's commit (and "-dirty") is printed either way.
#
# spatch runs with the options that mini_lock.cocci's own "Options:" line
# asks for (and that `make coccicheck` passes): --no-includes
# --include-headers, plus --no-show-diff as `make coccicheck MODE=report`
# does. Peak RSS is /usr/bin/time's %M: for spatch --jobs N it is the
# largest single process, not the sum of the workers.
#
# Raw outputs go to bench/out/: cocci-mini_lock.txt (file:line:col-col:
# preceding lock on line N), tagcheck-scan.json (one JSON document per
# DIR), and the stderr of each tool.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
KERNEL=${TAGCHECK_KERNEL:-$HOME/src/linux-source-6.1}
JOBS=${COCCI_JOBS:-2}
DIRS=("$@")
[ ${#DIRS[@]} -gt 0 ] || DIRS=(${DIR:-fs})
COCCI=$KERNEL/scripts/coccinelle/locks/mini_lock.cocci

if ! command -v spatch >/dev/null 2>&1; then
	echo "cocci.sh: spatch not installed; skipping" >&2
	exit 0
fi
if [ ! -f "$KERNEL/Makefile" ] || [ ! -f "$COCCI" ]; then
	echo "cocci.sh: no kernel tree with $COCCI at $KERNEL; skipping" >&2
	exit 0
fi
for d in "${DIRS[@]}"; do
	if [ ! -d "$KERNEL/$d" ]; then
		echo "cocci.sh: no directory $KERNEL/$d; skipping" >&2
		exit 0
	fi
done
[ -x /usr/bin/time ] || { echo "cocci.sh: /usr/bin/time (GNU time) is needed" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$here/bench/out
mkdir -p "$out"
cd "$here"
if [ -n "${COCCI_REV:-}" ]; then
	build_rev=$(git rev-parse --short "$COCCI_REV^{commit}")
	mkdir "$tmp/src"
	git archive "$build_rev" | tar -x -C "$tmp/src"
	(cd "$tmp/src" && go build -o "$tmp/tagcheck" ./cmd/tagcheck)
else
	build_rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
	go build -o "$tmp/tagcheck" ./cmd/tagcheck
fi

cocci_txt=$out/cocci-mini_lock.txt
cocci_err=$out/cocci-mini_lock.stderr
tc_json=$out/tagcheck-scan.json
tc_err=$out/tagcheck-scan.stderr
: >"$cocci_txt" >"$cocci_err" >"$tc_json" >"$tc_err"

# timed FILE_OUT FILE_ERR CMD...: run CMD, append its stdout to FILE_OUT and
# its stderr to FILE_ERR, and print "seconds peakKB" (from /usr/bin/time).
# A non-zero exit is not fatal: tagcheck exits 1 when it has findings.
timed() {
	local o=$1 e=$2
	shift 2
	/usr/bin/time -o "$tmp/time" -f '%e %M' "$@" >>"$o" 2>>"$e" || true
	tail -n 1 "$tmp/time"
}

. "$here/bench/load.sh"

cs=0 cm=0 ts=0 tm=0
for d in "${DIRS[@]}"; do
	echo "== $d"
	echo "  $(load)"
	read -r s m < <(timed "$cocci_txt" "$cocci_err" \
		spatch --sp-file "$COCCI" -D report --no-show-diff --no-includes --include-headers \
		--dir "$KERNEL/$d" --jobs "$JOBS" --very-quiet)
	echo "  spatch mini_lock: ${s}s, ${m} KB"
	echo "  $(load)"
	cs=$(echo "$cs $s" | awk '{print $1 + $2}')
	cm=$(echo "$cm $m" | awk '{print ($2 > $1) ? $2 : $1}')
	read -r s m < <(timed "$tc_json" "$tc_err" \
		"$tmp/tagcheck" scan --no-cache --format json "$KERNEL/$d")
	echo "  tagcheck scan:    ${s}s, ${m} KB"
	ts=$(echo "$ts $s" | awk '{print $1 + $2}')
	tm=$(echo "$tm $m" | awk '{print ($2 > $1) ? $2 : $1}')
done

ncocci_raw=$(grep -c 'preceding lock on line' "$cocci_txt" || true)
# The same place can be printed twice (two bindings of the rule's
# metavariables that differ only in the unlock matched): count distinct.
ncocci=$({ grep 'preceding lock on line' "$cocci_txt" || true; } | sort -u | wc -l)
# Count findings per rule over the (possibly several) JSON documents.
read -r nall nlock nunrel < <(python3 - "$tc_json" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
dec, i, fs = json.JSONDecoder(), 0, []
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    doc, i = dec.raw_decode(text, i)
    fs += doc.get("findings") or []
lock = [f for f in fs if f["rule"].startswith("lockpair/")]
unrel = [f for f in lock if f["rule"] == "lockpair/unreleased"]
print(len(fs), len(lock), len(unrel))
EOF
)

echo
echo "kernel: $KERNEL"
echo "dirs:   ${DIRS[*]}"
echo "tagcheck built from: $build_rev"
printf '%-22s %8s %10s %12s\n' tool reports "wall (s)" "peak RSS MB"
printf '%-22s %8s %10s %12s\n' "spatch mini_lock" "$ncocci" "$cs" "$(echo "$cm" | awk '{printf "%.0f", $1 / 1024}')"
printf '%-22s %8s %10s %12s\n' "tagcheck scan" "$nall" "$ts" "$(echo "$tm" | awk '{printf "%.0f", $1 / 1024}')"
echo "mini_lock report lines: $ncocci_raw ($ncocci distinct, counted above)"
echo "tagcheck lockpair/* findings: $nlock (lockpair/unreleased: $nunrel)"
echo "speed ratio (cocci s / tagcheck s): $(echo "$cs $ts" | awk '{ if ($2 > 0) printf "%.1fx", $1 / $2; else print "n/a" }')"
echo "tagcheck / mini_lock: $(echo "$cs $ts" | awk '{ if ($1 > 0) printf "%.2f", $2 / $1; else print "n/a" }') (target: 0.10 or less)"
echo "$(load) at the end"
echo "raw outputs: $cocci_txt $tc_json"
