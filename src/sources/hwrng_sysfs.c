/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sources/hwrng_sysfs.h"

/*
 * First line of dir/name into buf without its newline or trailing blanks
 * (rng_available ends in a space); false if unreadable.
 */
static bool read_line(const char *dir, const char *name, char *buf, size_t len)
{
	char path[4096];
	FILE *f;
	size_t n;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (n = strlen(buf); n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'); n--)
		buf[n - 1] = '\0';
	return true;
}

/*
 * A kernel thread called hwrng: comm is "hwrng" and its parent is kthreadd
 * (PID 2).  The thread runs from 3.17 on, only while the current device's
 * quality is above 0.
 */
static bool find_kernel_thread(const char *proc_dir)
{
	char path[512], comm[32], stat[256], *close_paren;
	struct dirent *e;
	bool found = false;
	DIR *d = opendir(proc_dir);
	long ppid;

	if (!d)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s", proc_dir, e->d_name);
		if (!read_line(path, "comm", comm, sizeof(comm)) || strcmp(comm, "hwrng") != 0)
			continue;
		if (!read_line(path, "stat", stat, sizeof(stat)))
			continue;
		/* "PID (comm) STATE PPID ...": comm may hold spaces, so after ')' */
		close_paren = strrchr(stat, ')');
		if (close_paren && strlen(close_paren) > 4) {
			ppid = strtol(close_paren + 4, NULL, 10);	/* ") S PPID" */
			found = ppid == 2;
		}
	}
	closedir(d);
	return found;
}

void hwrng_sysfs_read(const char *sysfs_dir, const char *module_dir, const char *proc_dir,
		      struct hwrng_sysfs *out)
{
	struct stat sb;
	char quality[32];

	memset(out, 0, sizeof(*out));
	out->quality = -1;
	out->present = stat(sysfs_dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (!out->present)
		return;
	read_line(sysfs_dir, "rng_current", out->current, sizeof(out->current));
	if (strcmp(out->current, "none") == 0)
		out->current[0] = '\0';
	read_line(sysfs_dir, "rng_available", out->available, sizeof(out->available));
	/* rng_quality where it exists; before it, the module parameter */
	if (module_dir && (read_line(sysfs_dir, "rng_quality", quality, sizeof(quality)) ||
			   read_line(module_dir, "current_quality", quality, sizeof(quality))))
		out->quality = (int)strtol(quality, NULL, 10);
	out->kernel_thread = proc_dir && find_kernel_thread(proc_dir);
}

bool hwrng_sysfs_is_virtio(const char *name)
{
	/* "virtio_rng.N" since 3.15; plain "virtio" before (RHEL 6, RHEL 7.0). */
	return strcmp(name, "virtio") == 0 || strncmp(name, "virtio_rng", 10) == 0;
}

bool hwrng_sysfs_find_virtio(const struct hwrng_sysfs *hw, char *name, size_t len)
{
	char list[sizeof(hw->available)], *tok, *save = NULL;

	snprintf(list, sizeof(list), "%s", hw->available);
	for (tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (hwrng_sysfs_is_virtio(tok)) {
			snprintf(name, len, "%s", tok);
			return true;
		}
	}
	return false;
}

bool hwrng_sysfs_kernel_feeds(const struct hwrng_sysfs *hw)
{
	/*
	 * rng_quality is younger than the thread: from 3.17 until it appeared
	 * the quality was only a module parameter, and the thread ran only
	 * while it was above 0.  So without the file, the thread alone says
	 * the kernel credits the device.
	 */
	return hw->current[0] && hw->kernel_thread && hw->quality != 0;
}
