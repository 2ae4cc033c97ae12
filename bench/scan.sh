#!/usr/bin/env bash
# Scan figures of the C front end on the Linux tree: files, MB, functions,
# degraded functions, seconds, MB/s and peak RSS for fs/ and for the whole
# tree (cparse.Scan on every core), and the raw tree-sitter parse rate on
# the same files (parse only, no pre-pass, no lowering, one core) so that
# the ratio is visible.
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

echo "cores: $(nproc)   tree: $tree"
echo "== fs/"
run "fs scan" "$tree/fs"
run "fs raw" -raw "$tree/fs"
if [[ ${SCAN_WHOLE:-1} != 0 ]]; then
	echo "== whole tree"
	run "tree scan" "$tree"
	run "tree raw" -raw "$tree"
fi
