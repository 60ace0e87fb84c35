# SPDX-License-Identifier: GPL-2.0-or-later
# Host side of the guest tests, sourced by tests/guest/boot-*.sh after they
# set $top (the source tree) and $gdir (a work directory kept between
# scripts: the static build and the initramfs are made once).
#
#   guest_prepare                   skip (77) without qemu, a static busybox
#                                   or a kernel; build what is missing
#   guest_boot LOG KERNEL SCENARIOS SECONDS [QEMU ARGS...]
#                                   boot, run the scenarios (tests/guest/
#                                   scenarios/NAME.sh, comma-separated) and
#                                   keep the console in LOG
#   value LOG SCENARIO KEY          what the guest said: RESULT SCENARIO KEY=V
#   expect LOG SCENARIO KEY OP N    compare it (test(1) OP: -eq -ge -le -lt
#                                   -gt, or = for text); failures are
#                                   counted, the script ends with guest_done
#   measure TEXT                    a figure for the report ("measured: ...")
#
# A new scenario is a script in scenarios/ printing RESULT lines (helpers in
# scenarios/lib.sh) plus the expect lines that check them.
set -u
guest_failures=0
# CI clones the repository with ../shared beside it; GUEST_KERNELS overrides.
legacy_kernels=${GUEST_KERNELS:-$top/../shared/kernels}

guest_skip() { echo "SKIP: $*"; exit 77; }

# A tool the test command installs: missing, the guests are skipped, or
# with ENTROPYD_TEST_STRICT (run-all.sh) fail.
guest_need() {
	[ -z "${ENTROPYD_TEST_STRICT:-}" ] && guest_skip "$*"
	echo "FAIL: $* (the README's test command installs it)"
	exit 1
}

# A busybox that runs without a library: the archive holds nothing else.
guest_busybox() {
	for b in /bin/busybox /usr/bin/busybox; do
		[ -x "$b" ] && ! readelf -d "$b" 2>/dev/null | grep -q NEEDED && { echo "$b"; return 0; }
	done
	return 1
}

# Debian's newest kernel, if it can be read.
debian_kernel() {
	ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 | while read -r k; do
		[ -r "$k" ] && echo "$k"
	done
}

guest_prepare() {
	command -v qemu-system-x86_64 >/dev/null || guest_need "no qemu-system-x86_64 (Debian: qemu-system-x86)"
	command -v cpio >/dev/null || guest_need "no cpio"
	guest_busybox >/dev/null || guest_need "no static busybox (Debian: busybox-static)"
	mkdir -p "$gdir"
	[ -x "$gdir/static/entropyd" ] || guest_build_static
	[ -f "$gdir/initramfs.cpio.gz" ] || guest_initramfs
}

# entropyd, entropyctl, entropy-check linked statically for the guests.
guest_build_static() {
	echo "building static binaries in $gdir/static"
	mkdir -p "$gdir/static"
	(cd "$gdir/static" &&
		"$top/configure" --quiet --without-systemd LDFLAGS=-static >configure.log 2>&1 &&
		make -j2 entropyd entropyctl entropy-check >make.log 2>&1) ||
		{ tail -n 20 "$gdir/static/configure.log" "$gdir/static/make.log"; exit 1; }
}

# The modules a Debian kernel needs for virtio-rng, in load order (from
# modules.dep), copied to DEST/lib/modules/VERSION with a "load" list.
guest_modules() {
	for dir in /lib/modules/*; do
		[ -f "$dir/modules.dep" ] || continue
		ver=${dir##*/}
		line=$(grep -E '/virtio-rng\.ko(\.xz|\.zst)?:' "$dir/modules.dep") || continue
		mods=
		# its dependencies load first, deepest first; virtio_pci brings the device
		for m in $(echo "${line#*:}" | tr ' ' '\n' | tac) "${line%%:*}"; do
			case " $mods " in *" $m "*) ;; *) mods="$mods $m" ;; esac
		done
		pci=$(grep -E '/virtio_pci\.ko(\.xz|\.zst)?:' "$dir/modules.dep") &&
			mods=$(for m in $(echo "${pci#*:}" | tr ' ' '\n' | tac) "${pci%%:*}" $mods; do
				echo "$m"; done | awk '!seen[$0]++' | tr '\n' ' ')
		mkdir -p "$1/lib/modules/$ver"
		: > "$1/lib/modules/$ver/load"
		for m in $mods; do
			case $m in
			*.ko) cp "$dir/$m" "$1/lib/modules/$ver/" ;;
			*) continue ;;	# compressed: busybox insmod may not read it
			esac
			echo "${m##*/}" >> "$1/lib/modules/$ver/load"
		done
	done
}

guest_initramfs() {
	stage=$gdir/stage
	rm -rf "$stage"
	mkdir -p "$stage/bin" "$stage/sbin" "$stage/scenarios"
	cp "$(guest_busybox)" "$stage/bin/busybox"
	cp "$gdir/static/entropyd" "$stage/sbin/"
	cp "$gdir/static/entropyctl" "$gdir/static/entropy-check" "$stage/bin/"
	cp "$top/tests/guest/init" "$stage/init"
	chmod 0755 "$stage/init"
	cp "$top"/tests/guest/scenarios/*.sh "$stage/scenarios/"
	guest_modules "$stage"
	(cd "$stage" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$gdir/initramfs.cpio.gz"
	rm -rf "$stage"
}

guest_boot() {
	log=$1 kernel=$2 scen=$3 secs=$4
	shift 4
	start=$(date +%s)
	timeout -k 5 "$secs" qemu-system-x86_64 -accel tcg -m 256 -smp 1 -display none \
		-monitor none -serial stdio -no-reboot -kernel "$kernel" \
		-initrd "$gdir/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=3 entropyd.scenarios=$scen entropyd.scenario_timeout=$secs" \
		"$@" </dev/null >"$log" 2>&1
	rc=$?
	tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
	measure "boot ${log##*/}: $(( $(date +%s) - start )) s host time, qemu exit $rc; guest: $(value "$log" boot kernel) at init $(value "$log" boot uptime) s, end $(value "$log" end uptime) s"
	if [ "$rc" -ne 0 ] || ! grep -q '^RESULT end ' "$log"; then
		echo "FAIL: the guest did not finish (qemu exit $rc); its console:"
		tail -n 40 "$log"
		guest_failures=$((guest_failures + 1))
		return 1
	fi
}

value() { sed -n "s/^RESULT $2 $3=//p" "$1" | tail -n 1; }

# holds LOG SCENARIO KEY OP N: the guest's value compares so; sets $v.
holds() {
	v=$(value "$1" "$2" "$3")
	if [ "$4" = "=" ]; then
		[ "$v" = "$5" ]
	else
		[ -n "$v" ] && [ "${v%.*}" "$4" "$5" ] 2>/dev/null
	fi
}

expect() {
	if holds "$@"; then
		echo "ok: $2 $3=$v ($4 $5)"
	else
		echo "FAIL: $2 $3=${v:-(none)}, expected $4 $5"
		guest_failures=$((guest_failures + 1))
	fi
}

measure() { echo "measured: $*"; }

# The guest's entropyd log of a scenario is not on the console: failures
# show the RESULT lines instead.
guest_done() {
	if [ "$guest_failures" -ne 0 ]; then
		echo "$guest_failures check(s) failed"
		exit 1
	fi
	exit 0
}
