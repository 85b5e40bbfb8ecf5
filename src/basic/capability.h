/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The number of a capability named as the kernel's headers name it ("CAP_NET_RAW"), whether or
 * not this kernel has it; -EINVAL for a name no kernel has. */
int capability_from_name(const char *name);
