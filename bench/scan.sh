#!/usr/bin/env bash
# Scan figures on the Linux tree, in one run: the C front end alone on fs/
# (files, MB, functions, degraded functions, seconds, MB/s, peak RSS), then
# for fs/ and the whole tree the raw tree-sitter parse (one core),
# `tagcheck scan --all-functions` and `tagcheck scan` (which parses only
# the functions that can take part), with wall and CPU seconds, peak RSS,
# the load average beside each, and the ratios.
#
# Usage (from the repository root): bench/scan.sh [KERNEL_TREE]
#   KERNEL_TREE defaults to $TAGCHECK_KERNEL, then ~/src/linux-source-6.1.
#   SCAN_WHOLE=0 skips the whole tree (it takes minutes).
set -euo pipefail

tree=${1:-${TAGCHECK_KERNEL:-$HOME/src/linux-source-6.1}}
if [[ ! -f $tree/Makefile ]]; then
	echo "scan.sh: no Linux tree at $tree" >&2
	exit 2
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/scanstat" ./bench/scanstat

run() {
	local label=$1
	shift
	if [[ -x /usr/bin/time ]]; then
		/usr/bin/time -f "  $label: wall %e s, peak RSS %M KB (/usr/bin/time)" "$bin/scanstat" "$@"
	else
		"$bin/scanstat" "$@"
	fi
}

go build -o "$bin/tagcheck" ./cmd/tagcheck

. "$(dirname "$0")/load.sh"

# seconds LABEL CMD...: wall seconds of CMD (its output discarded), with
# user+sys CPU and peak RSS, and the load beside them; sets $secs.
seconds() {
	local label=$1
	shift
	echo "  $(load)"
	/usr/bin/time -o "$bin/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
	read -r secs u s m <"$bin/time"
	printf '  %-28s wall %7.2f s  cpu %7.2f s  peak %5d MB\n' "$label" "$secs" "$(echo "$u $s" | awk '{print $1 + $2}')" $((m / 1024))
}

ratios() {
	local dir=$1 raw all sel
	echo "== $dir"
	seconds "tree-sitter parse only" "$bin/scanstat" -raw "$dir"
	raw=$secs
	seconds "tagcheck scan --all-functions" "$bin/tagcheck" scan --all-functions --format json "$dir"
	all=$secs
	seconds "tagcheck scan" "$bin/tagcheck" scan --format json "$dir"
	sel=$secs
	echo "  scan / raw parse: $(echo "$sel $raw" | awk '{printf "%.2f", $1 / $2}')   scan / --all-functions: $(echo "$sel $all" | awk '{printf "%.2f", $1 / $2}')"
}

echo "cores: $(nproc)   tree: $tree"
echo "== fs/ (front end only: cparse.Scan, every function)"
run "fs scan" "$tree/fs"
ratios "$tree/fs"
if [[ ${SCAN_WHOLE:-1} != 0 ]]; then
	ratios "$tree"
fi
