// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of kernel/cmdline_split.c: how a kernel command line is cut
 * into `key` and `key=value` words. Each case lists the (key, value) pairs
 * the callback must see, in order; a NULL value means a bare `key`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ddeos/cmdline.h>

#include "tap.h"

#define MAX_WORDS	8

struct word {
	char key[CMDLINE_WORD_MAX + 1];
	char value[CMDLINE_WORD_MAX + 1];
	bool has_value;
};

struct seen {
	struct word words[MAX_WORDS];
	unsigned int n;
	bool overflow;
};

/* The strings are only valid during the call: copy them. */
static void record(const char *key, const char *value, void *ctx)
{
	struct seen *s = ctx;
	struct word *w;

	if (s->n == MAX_WORDS) {
		s->overflow = true;
		return;
	}
	w = &s->words[s->n++];
	snprintf(w->key, sizeof(w->key), "%s", key);
	w->has_value = value != NULL;
	snprintf(w->value, sizeof(w->value), "%s", value ? value : "");
}

struct pair {
	const char *key;
	const char *value;	/* NULL: bare key */
};

/*
 * Split @line (copied to a buffer of its exact size, so ASan catches a read
 * past the NUL) and compare with @want.
 */
static bool split_matches(const char *line, const struct pair *want,
			  unsigned int nr_want)
{
	size_t len = strlen(line) + 1;
	char *copy = malloc(len);
	struct seen s = { 0 };
	bool ok = true;

	memcpy(copy, line, len);
	cmdline_split(copy, record, &s);
	if (memcmp(copy, line, len)) {
		tap_diag("the line was modified");
		ok = false;
	}
	free(copy);
	if (s.overflow || s.n != nr_want) {
		tap_diag("%s%u words, want %u", s.overflow ? "more than " : "",
			 s.n, nr_want);
		ok = false;
	}
	for (unsigned int i = 0; i < s.n && i < nr_want; i++) {
		const struct word *w = &s.words[i];
		bool same = !strcmp(w->key, want[i].key) &&
			    w->has_value == (want[i].value != NULL) &&
			    (!w->has_value || !strcmp(w->value, want[i].value));

		if (!same) {
			tap_diag("word %u: got key \"%.40s\" value %s%.40s%s, want key "
				 "\"%.40s\" value %s%.40s%s", i, w->key,
				 w->has_value ? "\"" : "", w->has_value ? w->value : "NULL",
				 w->has_value ? "\"" : "", want[i].key,
				 want[i].value ? "\"" : "",
				 want[i].value ? want[i].value : "NULL",
				 want[i].value ? "\"" : "");
			ok = false;
		}
	}
	return ok;
}

#define CASE(name, line, ...)						\
	do {								\
		static const struct pair want[] = { __VA_ARGS__ };	\
		tap_result(split_matches(line, want,			\
					 sizeof(want) / sizeof(want[0])), \
			   "cmdline_split: %s", name);			\
	} while (0)

#define CASE_NONE(name, line)						\
	tap_result(split_matches(line, NULL, 0), "cmdline_split: %s", name)

/* Fill @buf with @n copies of @c and a NUL. */
static const char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void test_long_words(void)
{
	char line[3 * CMDLINE_WORD_MAX], longest[CMDLINE_WORD_MAX];
	char trunc[CMDLINE_WORD_MAX];
	const size_t max = CMDLINE_WORD_MAX - 1;	/* longest word kept whole */

	repeat(longest, 'a', max);
	snprintf(line, sizeof(line), "%s poweroff", longest);
	{
		const struct pair want[] = { { longest, NULL }, { "poweroff", NULL } };

		tap_result(split_matches(line, want, 2),
			   "cmdline_split: word of %zu characters is kept whole", max);
	}

	/* One more character: reported with key "" and the first part. */
	repeat(trunc, 'b', max);
	snprintf(line, sizeof(line), "%sb poweroff", trunc);
	{
		const struct pair want[] = { { "", trunc }, { "poweroff", NULL } };

		tap_result(split_matches(line, want, 2),
			   "cmdline_split: word of %zu characters reported with key \"\"",
			   max + 1);
	}

	/* A long key=value is not split, and the words after it still are. */
	memcpy(line, "test=", 5);
	repeat(line + 5, 'c', 2 * max);
	strcpy(line + 5 + 2 * max, " x=1");
	memcpy(trunc, "test=", 5);
	repeat(trunc + 5, 'c', max - 5);
	{
		const struct pair want[] = { { "", trunc }, { "x", "1" } };

		tap_result(split_matches(line, want, 2),
			   "cmdline_split: too-long key=value reported whole, next word parsed");
	}
}

void test_cmdline_split(void)
{
	CASE_NONE("empty line", "");
	CASE_NONE("only blanks", " \t \n\t ");
	CASE("one bare word", "poweroff", { "poweroff", NULL });
	CASE("several words", "a b c", { "a", NULL }, { "b", NULL }, { "c", NULL });
	CASE("key=value", "test=all", { "test", "all" });
	CASE("empty value key=", "test=", { "test", "" });
	CASE("value keeps further '='", "a=b=c", { "a", "b=c" });
	CASE("value of only '='", "k==", { "k", "=" });
	CASE("runs of spaces and tabs", "  poweroff \t\t test=sched,smp   ",
	     { "poweroff", NULL }, { "test", "sched,smp" });
	CASE("newline separates words", "a=1\nb\n", { "a", "1" }, { "b", NULL });
	CASE("mixed words", "poweroff frobnicate=3 crash=ud test=all",
	     { "poweroff", NULL }, { "frobnicate", "3" }, { "crash", "ud" },
	     { "test", "all" });
	CASE("repeated key reported twice", "x=1 x=2", { "x", "1" }, { "x", "2" });
	CASE("comma and punctuation kept", "test=a,b,,c", { "test", "a,b,,c" });
	test_long_words();
}
