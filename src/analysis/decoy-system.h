/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The decoy system of a detonation sandbox: the tools malware calls for persistence and
 * discovery (crontab, at, systemctl, useradd, sudo, iptables, ...) exist as stand-ins in a
 * folder put first on PATH, and /etc is a copy-on-write view, so that a script goes on past
 * them. The stand-ins record nothing themselves: the tracer sees each exec with its argv, and
 * the monitor's rules (src/monitor/rules.c) name the technique. Nothing the sandbox writes is
 * read back. */

#include <stddef.h>

/* Creates the stand-ins in the new folder dir/decoys (host-owned, bound read-only). Returns 0
 * or a negative errno. */
int decoy_system_prepare(const char *dir);

/* Appends to argv (at *n, at most max entries in all) the `airlock run` options that install
 * the decoy system prepared in dir; the strings are kept in buf (of size size). */
int decoy_system_options(const char *dir, const char **argv, size_t *n, size_t max, char *buf,
                         size_t size);

/* Removes what decoy_system_prepare() created in dir. */
void decoy_system_remove(const char *dir);
