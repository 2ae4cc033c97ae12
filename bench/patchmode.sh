#!/bin/sh
# patchmode.sh: recall of `tagcheck check` WITHOUT --tree on patches as
# mail brings them. Each record is a real upstream lock-pairing fix made
# before Linux 6.1; the fixed function is in the 6.1 tree, and the edit
# spec below undoes the fix there (drops the release the fix added, or
# restores the jump it redirected). The result is committed in a scratch
# git repository holding a copy of that one file, and `git format-patch`
# (default 3 lines of context) turns it into the patch that would have
# introduced the bug. The patches hold kernel code: they are written to
# $OUT (default /work/corpus10), never to this repository.
#
# Each patch is checked twice: alone (--patch-only, as mail from a
# stranger is read) and in the scratch repository, which holds the blob
# the patch's index line names (as a reviewer reads a series in their own
# checkout: the pre-image is read from the git objects).
#
# usage: bench/patchmode.sh [TAGCHECK]   (TAGCHECK: a built binary; default
#        builds ./cmd/tagcheck)            env: TAGCHECK_KERNEL, OUT
#
# Prints one line per record: id, function, found/missed alone and in the
# repository, and the finding (or note) tagcheck gave for the patch
# alone; then the two counts.
set -eu

KERNEL=${TAGCHECK_KERNEL:-$HOME/src/linux-source-6.1}
OUT=${OUT:-/work/corpus10}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-}
if [ -z "$BIN" ]; then
	BIN=$(mktemp -d)/tagcheck
	(cd "$HERE" && go build -o "$BIN" ./cmd/tagcheck)
fi
[ -d "$KERNEL" ] || { echo "patchmode.sh: no kernel tree at $KERNEL" >&2; exit 2; }
mkdir -p "$OUT"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# Edit specs, one a line: id|subject of the fix|file|function|op|n|text|new
#   drop     delete the n-th line of the function whose text (trimmed) is text
#   dropnext delete that line and the one after it
#   replace  put new in place of text on the n-th such line (indent kept)
SPECS="$HERE/bench/patchmode.specs"

# undo FILE FUNCTION OP N TEXT NEW: edits FILE in place; fails when the
# function or the line is not found (the tree moved: the spec is stale).
undo() {
	awk -v fn="$2" -v op="$3" -v n="$4" -v text="$5" -v new="$6" '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	BEGIN { state = 0; seen = 0; done = 0; skip = 0 }
	skip { skip = 0; next }
	{
		line = $0
		if (state == 0 && line ~ ("^[A-Za-z_].*[ *]" fn "\\(") && line !~ /;[ \t]*$/) state = 1
		else if (state == 1 && line ~ /^}/) state = 2
		if (state == 1 && !done && trim(line) == text && ++seen == n) {
			done = 1
			if (op == "drop") next
			if (op == "dropnext") { skip = 1; next }
			i = index(line, text)
			line = substr(line, 1, i - 1) new substr(line, i + length(text))
		}
		print line
	}
	END { if (!done) exit 1 }' "$1" > "$1.new" && mv "$1.new" "$1"
}

git_() { git -c user.name=bench -c user.email=bench@example.org -c commit.gpgsign=false "$@"; }

found=0 found_repo=0 total=0
while IFS='|' read -r id subject file fn op n text new; do
	case "$id" in ''|'#'*) continue ;; esac
	total=$((total + 1))
	repo="$SCRATCH/$id"
	mkdir -p "$repo/$(dirname "$file")"
	cp "$KERNEL/$file" "$repo/$file"
	git_ -C "$repo" init -q
	git_ -C "$repo" add .
	git_ -C "$repo" commit -q -m "base: $file from Linux 6.1"
	if ! undo "$repo/$file" "$fn" "$op" "$n" "$text" "$new"; then
		echo "$id	$fn	STALE (spec does not match the tree)"
		continue
	fi
	git_ -C "$repo" commit -q -a -m "reintroduce: $subject"
	git_ -C "$repo" format-patch -q --stdout HEAD~1..HEAD > "$OUT/$id.patch"
	res=$("$BIN" check --patch-only "$OUT/$id.patch" 2>"$SCRATCH/err" || true)
	inrepo=$(cd "$repo" && "$BIN" check "$OUT/$id.patch" 2>/dev/null || true)
	if printf '%s\n' "$inrepo" | grep -q "^$file:[0-9]*:[0-9]*: lockpair/"; then
		found_repo=$((found_repo + 1))
		there=found
	else
		there=missed
	fi
	if printf '%s\n' "$res" | grep -q "^$file:[0-9]*:[0-9]*: lockpair/"; then
		found=$((found + 1))
		echo "$id	$fn	found	$there	$(printf '%s\n' "$res" | grep "^$file:.*lockpair/" | head -1 | cut -c1-160)"
	else
		echo "$id	$fn	missed	$there	$(grep 'not checked' "$SCRATCH/err" | head -1 | cut -c1-200)"
	fi
done < "$SPECS"
echo "patch alone: found $found of $total"
echo "in the repository: found $found_repo of $total"
