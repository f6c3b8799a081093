// SPDX-License-Identifier: GPL-2.0-only
/* The seed's delegate-queue pool, re-created for the benchmark (seed_pool.c). */
#ifndef SEED_POOL_H
#define SEED_POOL_H

#include <stddef.h>

void *seed_alloc(size_t size);
void seed_free(void *p);

#endif
