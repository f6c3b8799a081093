/* SPDX-License-Identifier: GPL-2.0-only */
/* crash=KIND: fault on purpose, to test the exception report and exit. */
#ifndef DDEOS_CRASH_H
#define DDEOS_CRASH_H

/* Context: main thread, after the ready line. Returns if no crash= given. */
void crash_on_request(void);

#endif
