/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The engine's console socket (--console-socket): a unix socket on which the runtime sends a
 * container's pty master (SCM_RIGHTS), as runc does; conmon and containerd's shim relay it. */

/* Connects to the socket at path (a path the engine gave on the command line). Returns the
 * connected fd (close-on-exec) or a negative errno after logging. */
int oci_console_connect(const char *path);
/* Sets the pty's size when width and height are both > 0, then sends master on sock. Returns 0
 * or a negative errno. */
int oci_console_send(int sock, int master, unsigned width, unsigned height);
