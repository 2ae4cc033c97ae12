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
#   SCAN_WHOLE=0 skips the whole tree (it takes minutes); SCAN_ALL=1 adds
#   --all-functions on the whole tree.
#   SCAN_DIR=DIR measures DIR (relative to the tree) instead of fs.
#   CHECK_PATCH=FILE also times `tagcheck check --tree` on that patch
#   beside `grep -rl WORD` over the tree (CHECK_WORD, default nsproxy),
#   cold (--no-cache) and warm (its per-file summaries cached);
#   CHECK_ONLY=1 times only that.
# The scans run with --no-cache (a cached result is no figure), except
# the whole tree's (with SCAN_WHOLE=0: the directory's), scanned with a
# fresh cache and then again: the second is the cached rerun.
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
	# the last line: a command that exits non-zero (tagcheck with
	# findings) has time write "Command exited with ..." before it
	read -r secs u s m < <(tail -n 1 "$bin/time") # m: peak RSS in KB, read by whole
	printf '  %-28s wall %7.2f s  cpu %7.2f s  peak %5d MB\n' "$label" "$secs" "$(echo "$u $s" | awk '{print $1 + $2}')" $((m / 1024))
}

ratios() {
	local dir=$1 raw all sel
	echo "== $dir"
	seconds "tree-sitter parse only" "$bin/scanstat" -raw "$dir"
	raw=$secs
	seconds "tagcheck scan --all-functions" "$bin/tagcheck" scan --no-cache --all-functions --format json "$dir"
	all=$secs
	seconds "tagcheck scan" "$bin/tagcheck" scan --no-cache --format json "$dir"
	sel=$secs
	echo "  scan / raw parse: $(echo "$sel $raw" | awk '{printf "%.2f", $1 / $2}')   scan / --all-functions: $(echo "$sel $all" | awk '{printf "%.2f", $1 / $2}')"
}

# cached DIR: a scan with an empty cache, then the same scan again.
cached() {
	local dir=$1 first
	echo "== $dir, cached rerun"
	mkdir "$bin/cache"
	seconds "tagcheck scan (empty cache)" env TAGCHECK_CACHE="$bin/cache" "$bin/tagcheck" scan --format json "$dir"
	first=$secs
	seconds "tagcheck scan (cached)" env TAGCHECK_CACHE="$bin/cache" "$bin/tagcheck" scan --format json "$dir"
	echo "  cached / first: $(echo "$secs $first" | awk '{printf "%.2f", $1 / $2}')"
	rm -rf "$bin/cache"
}

# whole: the whole tree against issue 16's targets — the raw parse, a
# scan with an empty cache (the same work as --no-cache, and it fills
# the cache), then the cached rerun; --all-functions only with
# SCAN_ALL=1 (ten more minutes).
whole() {
	local first peak
	echo "== whole tree ($tree)"
	seconds "tree-sitter parse only" "$bin/scanstat" -raw "$tree"
	if [[ ${SCAN_ALL:-0} == 1 ]]; then
		seconds "tagcheck scan --all-functions" "$bin/tagcheck" scan --no-cache --all-functions --format json "$tree"
	fi
	mkdir "$bin/cache"
	seconds "tagcheck scan (empty cache)" env TAGCHECK_CACHE="$bin/cache" "$bin/tagcheck" scan --format json "$tree"
	first=$secs peak=$m
	seconds "tagcheck scan (cached)" env TAGCHECK_CACHE="$bin/cache" "$bin/tagcheck" scan --format json "$tree"
	rm -rf "$bin/cache"
	echo "  whole tree: $first s (target 90), peak $((peak / 1024)) MB (target 1024), cached rerun $secs s (target 20)"
}

# checktree PATCH: check --tree against grep -rl over the same tree,
# cold (--no-cache: the tree is read) and warm (from the summaries the
# run before kept: the tree is only stat'ed), grep timed beside each.
checktree() {
	local word=${CHECK_WORD:-nsproxy} g cold warm
	echo "== check --tree $1 against grep -rl $word"
	grep -rl "$word" "$tree" >/dev/null || true # the page cache, for both
	seconds "grep -rl $word" grep -rl "$word" "$tree"
	g=$secs
	seconds "tagcheck check --tree (cold)" "$bin/tagcheck" check --no-cache --tree "$tree" "$1"
	cold=$secs
	mkdir "$bin/cache"
	seconds "  (filling the cache)" env TAGCHECK_CACHE="$bin/cache" "$bin/tagcheck" check --tree "$tree" "$1"
	seconds "grep -rl $word" grep -rl "$word" "$tree"
	g=$(echo "$g $secs" | awk '{print ($1 + $2) / 2}')
	seconds "tagcheck check --tree (warm)" env TAGCHECK_CACHE="$bin/cache" "$bin/tagcheck" check --tree "$tree" "$1"
	warm=$secs
	rm -rf "$bin/cache"
	echo "  check --tree / grep (mean of the two): cold $(echo "$cold $g" | awk '{printf "%.2f", $1 / $2}'), warm $(echo "$warm $g" | awk '{printf "%.2f", $1 / $2}') (target: 1.5 or less)"
}

if [[ ${CHECK_ONLY:-0} != 0 ]]; then
	[[ -n ${CHECK_PATCH:-} ]] || { echo "scan.sh: CHECK_ONLY needs CHECK_PATCH" >&2; exit 2; }
	echo "cores: $(nproc)   tree: $tree"
	checktree "$CHECK_PATCH"
	echo "  $(load) at the end"
	exit 0
fi

sub=${SCAN_DIR:-fs}
echo "cores: $(nproc)   tree: $tree"
echo "== $sub/ (front end only: cparse.Scan, every function)"
run "$sub scan" "$tree/$sub"
ratios "$tree/$sub"
if [[ ${SCAN_WHOLE:-1} != 0 ]]; then
	whole
else
	cached "$tree/$sub"
fi
if [[ -n ${CHECK_PATCH:-} ]]; then
	checktree "$CHECK_PATCH"
fi
echo "  $(load) at the end"
