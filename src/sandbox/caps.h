/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Empties all five capability sets (bounding, ambient, inheritable, permitted, effective) and
 * locks the securebits so that no later exec can regain one. Returns 0 or -errno. */
int caps_drop_all(void);
