# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the bench scripts: source it after setting build (the build
# directory).  Sets $tmp, stops every PID in $pids at exit, and defines only().
tmp=$(mktemp -d /tmp/entropyd-bench.XXXXXX)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT

# only SOURCE...: the -x options that exclude every other registered source.
only() {
	for s in $("$build/entropyd" -l 2>/dev/null | sed -n 's/^\([a-z0-9_]*\): .*/\1/p'); do
		case " $* " in *" $s "*) ;; *) printf -- '-x %s ' "$s" ;; esac
	done
}
