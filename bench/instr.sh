#!/usr/bin/env bash
# The instructions `tagcheck scan` executes on one directory, at two
# commits, in one run, and their ratio: a figure the load of the machine
# does not move. These 2-core machines share their CPUs with others
# (outside pressure of 15-28% in /proc/pressure/cpu), and one binary's
# scan of fs/ took from 30.8 to 40.8 s of CPU in one half hour: a 5%
# change shows in wall or CPU time only after many alternations, and not
# always then. Valgrind's callgrind counts the instructions instead. It
# runs the Go program on one thread (GOMAXPROCS=1), without asynchronous
# preemption (callgrind mishandles Go's preemption signal), and with a
# garbage collector that stops the program (gcstoptheworld=1): the
# concurrent collector's share of the work follows the clock, and under
# load the same scan counted 5.0 and 6.0 G instructions; stopped, two
# counts of it at once differ by 0.13%. About 50 times slower than
# natively. Both scans run at once; the JSON of the two must be the same,
# or the script says so.
#
# Usage (from the repository root): bench/instr.sh BASE [NEW] [DIR]
#   BASE, NEW: commits (NEW defaults to the work tree as it is).
#   DIR: relative to the kernel tree (default fs/ext4; fs/ takes ~20 min).
#   The tree is $TAGCHECK_KERNEL, then ~/src/linux-source-6.1.
set -euo pipefail

if [[ $# -lt 1 ]]; then
	echo "usage: bench/instr.sh BASE [NEW] [DIR]" >&2
	exit 2
fi
base=$1
new=${2:-}
dir=${3:-fs/ext4}
tree=${TAGCHECK_KERNEL:-$HOME/src/linux-source-6.1}
if [[ ! -d $tree/$dir ]]; then
	echo "instr.sh: no directory $tree/$dir" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null; then
	echo "instr.sh: needs valgrind (apt-get install valgrind)" >&2
	exit 2
fi
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# build COMMIT OUT: the tagcheck of COMMIT ("" for the work tree).
build() {
	if [[ -z $1 ]]; then
		go build -o "$2" ./cmd/tagcheck
		return
	fi
	git worktree add --detach "$work/base" "$1" >/dev/null 2>&1
	(cd "$work/base" && go build -o "$2" ./cmd/tagcheck)
	git worktree remove --force "$work/base"
}
build "$base" "$work/base.bin"
build "$new" "$work/new.bin"

# count NAME: runs NAME's binary under callgrind; its JSON to NAME.json,
# the instructions to NAME.ir.
count() {
	local rc=0
	GODEBUG=cpu.rdtscp=off,asyncpreemptoff=1,gcstoptheworld=1 GOMAXPROCS=1 valgrind --tool=callgrind \
		--callgrind-out-file="$work/$1.out" "$work/$1.bin" scan --no-cache --format json "$tree/$dir" \
		>"$work/$1.json" 2>"$work/$1.err" || rc=$?
	grep -o 'refs: *[0-9,]*' "$work/$1.err" | tr -dc '0-9' >"$work/$1.ir"
	# scan exits 0 or 1 (findings); anything else, or no JSON, is a scan
	# that did not finish, and its count is no figure. (Go 1.26's runtime
	# reads the clock with RDTSCP, which valgrind 3.19 cannot run: a SIGILL
	# after a few million instructions, hence cpu.rdtscp=off above.)
	if [[ $rc -gt 1 || ! -s $work/$1.json || ! -s $work/$1.ir ]]; then
		echo "instr.sh: callgrind failed for $1:" >&2
		grep -v '^==' "$work/$1.err" | head -n 8 >&2
		return 2
	fi
}
echo "scan $dir: base ${base}, new ${new:-work tree}; $(cut -d' ' -f1-3 /proc/loadavg) (instruction counts do not depend on it)"
count base &
b=$!
failed=
count new || failed=1
wait "$b" || failed=1
[[ -z $failed ]] || exit 2
base_ir=$(cat "$work/base.ir")
new_ir=$(cat "$work/new.ir")
awk -v b="$base_ir" -v n="$new_ir" 'BEGIN { printf "  base %.3f G instructions\n  new  %.3f G instructions\n  new/base %.3f\n", b / 1e9, n / 1e9, n / b }'
if ! cmp -s "$work/base.json" "$work/new.json"; then
	echo "  the JSON differs: the two do not find the same"
	exit 1
fi
echo "  the same JSON"
