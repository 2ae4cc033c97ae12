# Sourced by the bench scripts. A figure taken while the machine is busy
# is not a figure: load prints the load average, to stand beside each
# timing, flagged HIGH when more than half the cores are busy.
load() {
	local l
	l=$(cut -d' ' -f1-3 /proc/loadavg)
	if awk -v l="${l%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
		echo "load $l (HIGH: more than half of $(nproc) cores busy; not an idle figure)"
	else
		echo "load $l"
	fi
}
