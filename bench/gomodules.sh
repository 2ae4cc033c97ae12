#!/usr/bin/env bash
# Real Go modules: runs, in the same run and on the same module copy,
#   go vet ./...                         (the default vet analyzers)
#   tagcheck go ./...                    (multichecker, go/packages)
#   go vet -vettool=$TAGCHECK ./...      (unitchecker under go vet)
# and prints per module: packages, tagcheck findings per rule, wall seconds
# and peak RSS of each run, and the ratio tagcheck / go vet. The project's
# target is a ratio of at most 2.
#
# Usage (from the repository root):
#   bench/gomodules.sh [MODULE_DIR | MODULE@VERSION]...
# With no argument it fetches the defaults below through the module proxy
# (go mod download -json). A directory or a downloaded module is copied to
# a temp dir and made writable, so go can run in it.
#
# Fairness: each module gets a fresh GOCACHE, warmed by one `go build ./...`
# and `go list -export -deps -test ./...` (export data of every dependency
# and test variant, which both go vet and go/packages need). Only then the
# three runs are timed, so compile caches are equal and go vet cannot
# replay results cached by an earlier run: every run analyzes the standard
# library dependencies (for facts) from scratch, as a first run would.
# Peak RSS (/usr/bin/time %M) is that of the largest single process: for
# go vet a vet tool process or the go command, for `tagcheck go` the one
# process that holds all packages.
#
# Environment:
#   GOMODULES_TIMEOUT  seconds allowed to each timed run (default 1200);
#                      a run cut off is shown as TIMEOUT
#   GOMODULES_OUT      directory for the raw outputs (default: a new temp
#                      dir, kept and printed at the end)
#   GOMODULES_KEEP=1   keep the module copies and caches too
# `tagcheck go -debug=t` lists the analysis actions that took 90% of its
# time; the three slowest are printed, the rest are in the raw output.
set -uo pipefail # no -e: go vet exits 1 and tagcheck go exits 3 on findings

defaults=(
	go.etcd.io/bbolt@v1.5.0
	github.com/prometheus/client_golang@v1.25.0
	google.golang.org/grpc@v1.85.0
	golang.org/x/tools@v0.52.0
)
repo=$(cd "$(dirname "$0")/.." && pwd)
limit=${GOMODULES_TIMEOUT:-1200}
work=$(mktemp -d /tmp/gomodules.XXXXXX)
out=${GOMODULES_OUT:-$work/out}
mkdir -p "$out" "$work/bin" "$work/src"
cleanup() {
	if [[ ${GOMODULES_KEEP:-0} != 1 ]]; then
		chmod -R u+w "$work/src" "$work"/cache-* 2>/dev/null
		rm -rf "$work/src" "$work"/cache-* "$work/bin"
		rmdir "$work" 2>/dev/null # empty when GOMODULES_OUT is elsewhere
	fi
}
trap cleanup EXIT

(cd "$repo" && go build -o "$work/bin/tagcheck" ./cmd/tagcheck) || {
	echo "gomodules.sh: tagcheck does not build" >&2
	exit 2
}
TAGCHECK=$work/bin/tagcheck
echo "tagcheck $(git -C "$repo" describe --always --dirty 2>/dev/null)  $(go version | cut -d' ' -f3)  cores: $(nproc)"
echo "(load is the 1-minute load average as each run starts: on a shared machine, a load above the core count slows every tool alike)"
[[ -x /usr/bin/time ]] || { echo "gomodules.sh: needs /usr/bin/time" >&2; exit 2; }

# timed NAME LABEL CMD...: run CMD bounded by $limit, output to
# $out/NAME.LABEL.out; sets wall, rss, rc.
timed() {
	local name=$1 label=$2
	shift 2
	load=$(cut -d' ' -f1 /proc/loadavg)
	/usr/bin/time -o "$out/$name.$label.time" -f '%e %M' \
		timeout --kill-after=30 "$limit" "$@" >"$out/$name.$label.out" 2>&1
	rc=$?
	read -r wall rss < <(tail -n 1 "$out/$name.$label.time")
	rss=$(( ${rss:-0} / 1024 )) # MB
	if (( rc == 124 || rc == 137 )); then
		wall="TIMEOUT(>${limit})"
	fi
}

# findings FILE: diagnostics (not their related lines), unique, one a line
findings() {
	grep -E '^[^[:space:]#][^[:space:]]*\.go:[0-9]+:[0-9]+: [^[:space:]]' "$1" | sort -u
}
# rules FILE: "rule=N ..." for tagcheck's diagnostics
rules() {
	findings "$1" | awk '{ r = $2; sub(/:$/, "", r); if (r !~ /\//) r = "other(" r ")"; n[r]++ }
		END { for (r in n) printf "%s=%d ", r, n[r] }' | tr ' ' '\n' | sort | tr '\n' ' '
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a / b; else printf "-" }'; }

specs=("$@")
(( ${#specs[@]} )) || specs=("${defaults[@]}")
table=()
for spec in "${specs[@]}"; do
	if [[ -d $spec ]]; then
		src=$(cd "$spec" && pwd)
		name=$(basename "$src")
	else
		src=$(go mod download -json "$spec" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
		name=$(basename "${spec%@*}")@${spec#*@}
		if [[ -z $src || ! -d $src ]]; then
			echo "== $spec: go mod download failed" >&2
			table+=("| $spec | download failed | | | | | | |")
			continue
		fi
	fi
	dir=$work/src/$name
	cp -r "$src" "$dir" && chmod -R u+w "$dir"
	cd "$dir" || continue
	export GOCACHE=$work/cache-$name
	echo "== $name ($src)"
	go mod download >"$out/$name.prep.out" 2>&1 || echo "   go mod download: see $out/$name.prep.out"
	pkgs=$(go list ./... 2>>"$out/$name.prep.out" | wc -l)
	t0=$(date +%s)
	go build ./... >>"$out/$name.prep.out" 2>&1 || echo "   warm-up go build failed: see $out/$name.prep.out"
	go list -export -deps -test ./... >/dev/null 2>>"$out/$name.prep.out"
	echo "   packages: $pkgs   warm-up: $(( $(date +%s) - t0 )) s"

	timed "$name" vet go vet ./...
	vw=$wall vr=$rss vrc=$rc
	vn=$(findings "$out/$name.vet.out" | wc -l)
	echo "   go vet:            ${vw} s  ${vr} MB  exit $vrc  load $load  findings $vn"

	timed "$name" tagcheck "$TAGCHECK" go -debug=t ./...
	tw=$wall tm=$rss trc=$rc
	tn=$(findings "$out/$name.tagcheck.out" | wc -l)
	trules=$(rules "$out/$name.tagcheck.out")
	echo "   tagcheck go:       ${tw} s  ${tm} MB  exit $trc  load $load  findings $tn  $trules"
	grep -E $'^[0-9][0-9.a-zµ]*s\t' "$out/$name.tagcheck.out" | grep -v 'all others' | head -3 | sed 's/^/      slowest: /'

	timed "$name" vettool go vet -vettool="$TAGCHECK" ./...
	xw=$wall xm=$rss xrc=$rc
	xn=$(findings "$out/$name.vettool.out" | wc -l)
	xrules=$(rules "$out/$name.vettool.out")
	echo "   go vet -vettool:   ${xw} s  ${xm} MB  exit $xrc  load $load  findings $xn  $xrules"
	if (( trc != 0 && trc != 3 && trc != 124 && trc != 137 )) || (( xrc > 1 && xrc != 124 && xrc != 137 )); then
		echo "   (unexpected exit status: see $out/$name.tagcheck.out, $out/$name.vettool.out)"
	fi

	table+=("| $name | $pkgs | $vw / $vr | $tw / $tm | $xw / $xm | $(ratio "$tw" "$vw") | $(ratio "$xw" "$vw") | $tn: ${trules% } |")
	cd "$repo" || exit 2
	if [[ ${GOMODULES_KEEP:-0} != 1 ]]; then
		chmod -R u+w "$GOCACHE" 2>/dev/null
		rm -rf "$GOCACHE"
	fi
done

echo
echo "| module | packages | go vet s / MB | tagcheck go s / MB | vet -vettool s / MB | ratio tagcheck go / vet | ratio vettool / vet | tagcheck findings |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${table[@]}"
echo
echo "raw outputs: $out"
