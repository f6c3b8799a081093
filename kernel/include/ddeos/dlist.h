/* SPDX-License-Identifier: GPL-2.0-only */
/* Intrusive circular doubly linked lists. */
#ifndef DDEOS_DLIST_H
#define DDEOS_DLIST_H

#include <ddeos/types.h>

struct dlist {
	struct dlist *next, *prev;
};

#define DLIST_INIT(name)	{ &(name), &(name) }

static inline void dlist_init(struct dlist *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool dlist_empty(const struct dlist *l)
{
	return l->next == l;
}

static inline void dlist_insert(struct dlist *n, struct dlist *prev,
				struct dlist *next)
{
	n->next = next;
	n->prev = prev;
	prev->next = n;
	next->prev = n;
}

static inline void dlist_add_tail(struct dlist *head, struct dlist *n)
{
	dlist_insert(n, head->prev, head);
}

static inline void dlist_add_head(struct dlist *head, struct dlist *n)
{
	dlist_insert(n, head, head->next);
}

static inline void dlist_del(struct dlist *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n;
	n->prev = n;
}

static inline struct dlist *dlist_pop(struct dlist *head)
{
	struct dlist *n = head->next;

	if (n == head)
		return NULL;
	dlist_del(n);
	return n;
}

#define dlist_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
