# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the bench scripts: source it after setting build (the build
# directory).  Sets $tmp, stops every PID in $pids at exit, and defines only().
tmp=$(mktemp -d /tmp/entropyd-bench.XXXXXX)
pids=
# (|| : : under set -e a failing kill would end the trap before the rm)
trap 'for p in $pids; do kill $p 2>/dev/null || :; done; rm -rf "$tmp"' EXIT

# only SOURCE...: the -x options that exclude every other registered source.
only() {
	for s in $("$build/entropyd" -l 2>/dev/null | sed -n 's/^\([a-z0-9_]*\): .*/\1/p'); do
		case " $* " in *" $s "*) ;; *) printf -- '-x %s ' "$s" ;; esac
	done
}

# machine: one header line naming what the figures were measured on.
machine() {
	echo "machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
		"$(nproc) online CPUs, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); entropyd $(git -C "$(dirname "$0")" describe --always --dirty 2>/dev/null || echo '?')"
}

# summary [SCALE]: "min M median D (N runs)" of the numbers on stdin, each
# multiplied by SCALE (default 1).
summary() {
	sort -g | awk -v s="${1:-1}" '{ v[NR] = $1 * s }
		END { if (!NR) { print "no runs"; exit }
		      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "min %.4g median %.4g (%d runs)\n", v[1], m, NR }'
}

# anchors: the comparison programs Debian packages (rngtest and rngd from
# rng-tools5, jitterentropy-rngd, haveged), unpacked with apt-get download
# and dpkg-deb -x into $anchor_dir (kept for the next run), never
# installed, their services never enabled.  Sets $anchor_bin (prefix it to
# a command's path) and exports LD_LIBRARY_PATH for libhavege; returns 1
# when they cannot be had (no apt-get or no network).
anchor_dir=${ENTROPYD_ANCHORS:-/var/tmp/entropyd-bench-anchors}
anchors() {
	if [ ! -x "$anchor_dir/usr/sbin/haveged" ]; then
		command -v apt-get > /dev/null && command -v dpkg-deb > /dev/null || return 1
		mkdir -p "$anchor_dir/debs" || return 1
		(cd "$anchor_dir/debs" &&
			apt-get download rng-tools5 jitterentropy-rngd haveged libhavege2 > /dev/null 2>&1) || return 1
		for deb in "$anchor_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$anchor_dir" || return 1; done
		lib=$(ls "$anchor_dir"/usr/lib/*/libhavege.so.2.* 2>/dev/null | head -n 1)
		[ -n "$lib" ] && ln -sf "$(basename "$lib")" "$(dirname "$lib")/libhavege.so.2"
	fi
	anchor_bin=$anchor_dir/usr
	LD_LIBRARY_PATH=$(ls -d "$anchor_dir"/usr/lib/*/ 2>/dev/null | head -n 1)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
	return 0
}

# measure COMMAND...: "WALL CPU", the seconds COMMAND took and the CPU
# seconds (user + system, all threads) it used; output discarded, exit
# status ignored, standard input passed on.
measure() {
	python3 -c 'import resource, subprocess, sys, time
t = time.monotonic()
subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.6f %.6f" % (w, r.ru_utime + r.ru_stime))' "$@"
}
