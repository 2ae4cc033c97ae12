#!/bin/sh
# Times the tree-wide search for raw readers of a newly tagged field
# (task_struct.nsproxy, learned from the 6.1 fixture patch) beside
# `grep -rl nsproxy` over the same tree, in the same run, and prints the
# ratio (target: at most 3x grep).
#
#   bench/readers.sh [TREE] [PATCH] [ROUNDS]
#
# The search always runs through bench/readers (the taggedptr API
# directly), in its default mode (function bodies that cannot read the
# field blanked by taggedptr.CReduce before parsing) and with -mode scan
# (whole files through cparse.Scan); with READERS_TAGCHECK=1 it also runs `tagcheck check --tree
# TREE PATCH` (cmd/tagcheck, when it builds and has that mode), each run
# bounded by READERS_TIMEOUT seconds (default 300). Each tool is run ROUNDS times (default 3),
# alternating with grep, after one warm-up grep; the best time of each is
# compared, so a busy machine or a cold page cache hurts both sides alike.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
TREE=${1:-$HOME/src/linux-source-6.1}
PATCH=${2:-$here/../shared/fixtures/nsproxy-reader-6.1.patch}
ROUNDS=${3:-3}
[ -f "$TREE/Makefile" ] || { echo "readers.sh: no kernel tree at $TREE" >&2; exit 2; }
[ -f "$PATCH" ] || { echo "readers.sh: no patch at $PATCH" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
go build -o "$tmp/readers" ./bench/readers
have_tagcheck=0
if [ "${READERS_TAGCHECK:-0}" = 1 ] && go build -o "$tmp/tagcheck" ./cmd/tagcheck 2>/dev/null &&
	"$tmp/tagcheck" check --help 2>&1 | grep -q -- '--tree'; then
	have_tagcheck=1
fi

now() { date +%s.%N; }
# secs CMD...: run CMD with output to $tmp/out, print the seconds it took
secs() {
	t0=$(now)
	"$@" >"$tmp/out" 2>"$tmp/err" || true
	t1=$(now)
	echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
}
min() { echo "$1 $2" | awk '{print ($1 < $2 || $2 == "") ? $1 : $2}'; }

echo "tree: $TREE"
echo "patch: $PATCH"
echo "warm-up grep: $(secs grep -rl nsproxy "$TREE")s, $(wc -l <"$tmp/out") files"
g="" r="" s="" c=""
i=1
while [ "$i" -le "$ROUNDS" ]; do
	t=$(secs grep -rl nsproxy "$TREE"); g=$(min "$t" "$g")
	echo "round $i: grep -rl nsproxy: ${t}s"
	t=$(secs "$tmp/readers" -tree "$TREE" -patch "$PATCH"); r=$(min "$t" "$r")
	echo "round $i: bench/readers:     ${t}s ($(grep '^readers of' "$tmp/out"))"
	t=$(secs "$tmp/readers" -mode scan -tree "$TREE" -patch "$PATCH"); s=$(min "$t" "$s")
	echo "round $i: bench/readers -mode scan: ${t}s ($(grep '^readers of' "$tmp/out"))"
	if [ $have_tagcheck = 1 ]; then
		t=$(secs timeout "${READERS_TIMEOUT:-300}" "$tmp/tagcheck" check --tree "$TREE" "$PATCH"); c=$(min "$t" "$c")
		echo "round $i: tagcheck check --tree: ${t}s ($(grep -c 'taggedptr/untagged-deref' "$tmp/out") untagged-deref lines)"
	fi
	i=$((i + 1))
done
"$tmp/readers" -tree "$TREE" -patch "$PATCH" | sed 's/^/  /'
echo "best: grep ${g}s, bench/readers ${r}s: ratio $(echo "$r $g" | awk '{printf "%.2f", $1 / $2}')x (target <= 3x)"
echo "best: bench/readers -mode scan (whole files through cparse.Scan) ${s}s: ratio $(echo "$s $g" | awk '{printf "%.2f", $1 / $2}')x"
if [ $have_tagcheck = 1 ]; then
	echo "best: tagcheck check --tree ${c}s: ratio $(echo "$c $g" | awk '{printf "%.2f", $1 / $2}')x"
else
	echo "(tagcheck check --tree not timed: set READERS_TAGCHECK=1)"
fi
