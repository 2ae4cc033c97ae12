#!/usr/bin/env bash
# Real Go modules: runs, in the same run and on the same module copy,
#   go vet ./...                         (the default vet analyzers)
#   tagcheck go ./...                    (the standalone driver: go vet with
#                                         tagcheck as the vet tool, output
#                                         and exit codes of the multichecker)
#   go vet -vettool=$TAGCHECK ./...      (unitchecker under go vet)
#   tagcheck go -memprofile=/dev/null ./...  (only with GOMODULES_WHOLE=1:
#                                         the whole program in one process,
#                                         go/packages, as tagcheck go ran
#                                         before it went through go vet)
# and prints per module: packages, tagcheck findings per rule, wall seconds,
# peak RSS and CPU seconds of each run, and the ratios tagcheck / go vet
# (wall and CPU). The project's target is a ratio of at most 1.5 and a
# peak under 0.3 GB.
#
# Usage (from the repository root):
#   bench/gomodules.sh [MODULE_DIR | MODULE@VERSION]...
# With no argument it fetches the defaults below through the module proxy
# (go mod download -json). A directory or a downloaded module is copied to
# a temp dir and made writable, so go can run in it.
#
# Fairness: each module gets a fresh GOCACHE, warmed by one `go build ./...`
# and `go list -export -deps -test ./...` (export data of every dependency
# and test variant, which both go vet and go/packages need). Each timed run
# then gets its own copy of that warmed cache, so compile caches are equal
# and no run can replay vet results cached by another (tagcheck go and
# go vet -vettool run the same tool with the same flags, so they would):
# every run analyzes the standard-library dependencies (for facts) from
# scratch, as a first run would.
# Peak RSS (/usr/bin/time %M) is that of the largest single process: for
# go vet and tagcheck go a vet tool process or the go command, for the
# whole-program run the one process that holds all packages.
#
# Environment:
#   GOMODULES_TIMEOUT  seconds allowed to each timed run (default 1200);
#                      a run cut off is shown as TIMEOUT
#   GOMODULES_OUT      directory for the raw outputs (default: a new temp
#                      dir, kept and printed at the end)
#   GOMODULES_KEEP=1   keep the module copies and caches too
#   GOMODULES_WHOLE=1  also time the whole-program run (needs GBs of memory)
# `tagcheck go -debug=t` lists the analyses (per package, from the
# processes go vet starts) that took 90% of their total time; the three
# slowest are printed, the rest are in the raw output.
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
		rm -rf "$work/src" "$work"/cache-* "$work/run-cache" "$work/bin"
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

# timed NAME LABEL CMD...: run CMD bounded by $limit, with a fresh copy of
# the warmed cache, output to $out/NAME.LABEL.out; sets wall, rss, rc.
timed() {
	local name=$1 label=$2
	shift 2
	chmod -R u+w "$work/run-cache" 2>/dev/null
	rm -rf "$work/run-cache"
	cp -a "$warm" "$work/run-cache"
	load=$(cut -d' ' -f1 /proc/loadavg)
	GOCACHE=$work/run-cache /usr/bin/time -o "$out/$name.$label.time" -f '%e %M %U %S' \
		timeout --kill-after=30 "$limit" "$@" >"$out/$name.$label.out" 2>&1
	rc=$?
	read -r wall rss usr sys < <(tail -n 1 "$out/$name.$label.time")
	rss=$(( ${rss:-0} / 1024 )) # MB
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.0f", u + s }') # of all processes
	if (( rc == 124 || rc == 137 )); then
		wall="TIMEOUT(>${limit})"
	fi
}

# findings FILE: diagnostics (not their related lines), unique, one a line,
# with paths relative to the module copy (tagcheck go prints them absolute,
# go vet relative)
findings() {
	grep -E '^[^[:space:]#][^[:space:]]*\.go:[0-9]+:[0-9]+: [^[:space:]]' "$1" | sed "s|^$dir/||" | sort -u
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
			table+=("| $spec | download failed | | | | | | | | |")
			continue
		fi
	fi
	dir=$work/src/$name
	cp -r "$src" "$dir" && chmod -R u+w "$dir"
	cd "$dir" || continue
	warm=$work/cache-$name
	export GOCACHE=$warm
	echo "== $name ($src)"
	go mod download >"$out/$name.prep.out" 2>&1 || echo "   go mod download: see $out/$name.prep.out"
	pkgs=$(go list ./... 2>>"$out/$name.prep.out" | wc -l)
	t0=$(date +%s)
	go build ./... >>"$out/$name.prep.out" 2>&1 || echo "   warm-up go build failed: see $out/$name.prep.out"
	go list -export -deps -test ./... >/dev/null 2>>"$out/$name.prep.out"
	echo "   packages: $pkgs   warm-up: $(( $(date +%s) - t0 )) s   warmed cache: $(du -sm "$warm" | cut -f1) MB"

	timed "$name" vet go vet ./...
	vw=$wall vr=$rss vrc=$rc vc=$cpu
	vn=$(findings "$out/$name.vet.out" | wc -l)
	echo "   go vet:            ${vw} s  ${vr} MB  cpu ${vc} s  exit $vrc  load $load  findings $vn"

	timed "$name" tagcheck "$TAGCHECK" go -debug=t ./...
	tw=$wall tm=$rss trc=$rc tcpu=$cpu
	tn=$(findings "$out/$name.tagcheck.out" | wc -l)
	trules=$(rules "$out/$name.tagcheck.out")
	echo "   tagcheck go:       ${tw} s  ${tm} MB  cpu ${tcpu} s  exit $trc  load $load  findings $tn  $trules"
	grep -E $'^[0-9][0-9.a-zµ]*s\t' "$out/$name.tagcheck.out" | grep -v -e 'all others' -e 'wall time' | head -3 | sed 's/^/      slowest: /'

	timed "$name" vettool go vet -vettool="$TAGCHECK" ./...
	xw=$wall xm=$rss xrc=$rc xc=$cpu
	xn=$(findings "$out/$name.vettool.out" | wc -l)
	xrules=$(rules "$out/$name.vettool.out")
	echo "   go vet -vettool:   ${xw} s  ${xm} MB  cpu ${xc} s  exit $xrc  load $load  findings $xn  $xrules"
	if (( trc != 0 && trc != 3 && trc != 124 && trc != 137 )) || (( xrc > 1 && xrc != 124 && xrc != 137 )); then
		echo "   (unexpected exit status: see $out/$name.tagcheck.out, $out/$name.vettool.out)"
	fi
	if diff <(findings "$out/$name.tagcheck.out") <(findings "$out/$name.vettool.out") >"$out/$name.findings.diff"; then
		same=same
	else
		same="DIFFERENT (see $out/$name.findings.diff)"
	fi
	echo "   tagcheck go and go vet -vettool findings: $same"

	whole="-"
	if [[ ${GOMODULES_WHOLE:-0} == 1 ]]; then
		timed "$name" whole "$TAGCHECK" go -memprofile=/dev/null ./...
		wn=$(findings "$out/$name.whole.out" | wc -l)
		echo "   whole program:     ${wall} s  ${rss} MB  cpu ${cpu} s  exit $rc  load $load  findings $wn  $(rules "$out/$name.whole.out")"
		whole="$wall / $rss"
	fi

	table+=("| $name | $pkgs | $vw / $vr / $vc | $tw / $tm / $tcpu | $xw / $xm / $xc | $whole | $(ratio "$tw" "$vw") | $(ratio "$tcpu" "$vc") | $(ratio "$xw" "$vw") | $tn: ${trules% } |")
	cd "$repo" || exit 2
	if [[ ${GOMODULES_KEEP:-0} != 1 ]]; then
		chmod -R u+w "$GOCACHE" "$work/run-cache" 2>/dev/null
		rm -rf "$GOCACHE" "$work/run-cache"
	fi
done

echo
echo "| module | packages | go vet s / MB / CPU s | tagcheck go s / MB / CPU s | vet -vettool s / MB / CPU s | whole program s / MB | tagcheck go / vet, wall | tagcheck go / vet, CPU | vettool / vet, wall | tagcheck findings |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${table[@]}"
echo
echo "raw outputs: $out   total: $SECONDS s"
