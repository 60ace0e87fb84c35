/* SPDX-License-Identifier: GPL-2.0-or-later */
/* entropy-check --estimate: read 8-bit samples, print the SP 800-90B estimates. */
#ifndef ENTROPYD_ESTIMATE_CLI_H
#define ENTROPYD_ESTIMATE_CLI_H

/*
 * Read up to ESTIMATE_MAX_SAMPLES bytes from input (NULL or "-": stdin),
 * run every estimator and print the report: text on stdout, or with json
 * one JSON object on stdout and the text on stderr.  Returns the exit
 * status: 0, 1 (no estimate: too few samples), 11 (I/O error), 12 (out of
 * memory).
 */
int estimate_cli_run(const char *input, int json);

#endif
