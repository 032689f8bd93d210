// SPDX-License-Identifier: GPL-2.0
/* Decoding and printing the reply to IOI_CMD_STATS_GET. See stats.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>

#include "nl.h"
#include "stats.h"
#include "status.h"
#include "util.h"

int ioi_stats_parse(const struct nlmsghdr *nlh, struct ioi_stats *s)
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};

	memset(s, 0, sizeof(*s));
	if (ioi_nl_parse_reply(nlh, tb, IOI_A_MAX) < 0)
		return -EBADMSG;
	if (!tb[IOI_A_STATS])
		return -ENODATA;
	return ioi_stats_parse_nest(tb[IOI_A_STATS], s->vals, &s->present);
}

static bool sent(const struct ioi_stats *s, const struct ioi_stat_desc *d)
{
	return s->present & (1ULL << d->type);
}

int ioi_stats_print_table(FILE *f, const struct ioi_stats *s)
{
	int width = 0;
	size_t i;

	for (i = 0; i < ioi_stat_ndescs; i++)
		if (sent(s, &ioi_stat_descs[i]) &&
		    (int)strlen(ioi_stat_descs[i].name) > width)
			width = (int)strlen(ioi_stat_descs[i].name);
	for (i = 0; i < ioi_stat_ndescs; i++) {
		const struct ioi_stat_desc *d = &ioi_stat_descs[i];

		if (sent(s, d))
			fprintf(f, "%-*s  %llu\n", width, d->name,
				(unsigned long long)s->vals[d->type]);
	}
	return ferror(f) ? -EIO : 0;
}

struct json_object *ioi_stats_to_json(const struct ioi_stats *s)
{
	struct json_object *obj = json_object_new_object();
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; i < ioi_stat_ndescs; i++) {
		const struct ioi_stat_desc *d = &ioi_stat_descs[i];

		if (sent(s, d) &&
		    ioi_json_add(obj, d->name,
				 json_object_new_uint64(s->vals[d->type]))) {
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

int ioi_stats_print_json(FILE *f, const struct ioi_stats *s)
{
	return ioi_json_print(f, ioi_stats_to_json(s));
}

/*
 * HELP text and label values escape a backslash and a newline, label
 * values a double quote too. The table's strings are constants that need
 * none of it; this keeps the output valid should one ever do.
 */
static void prom_escape(FILE *f, const char *s, bool label)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && label)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static void prom_sample(FILE *f, const struct ioi_stat_desc *d, uint64_t v)
{
	size_t i;

	fputs(d->metric, f);
	for (i = 0; i < ARRAY_SIZE(d->labels) && d->labels[i].name; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "{", d->labels[i].name);
		prom_escape(f, d->labels[i].value, true);
		fputc('"', f);
	}
	if (i)
		fputc('}', f);
	fprintf(f, " %llu\n", (unsigned long long)v);
}

/* Whether ioi_stat_descs[@i] is the first entry of its metric family. */
static bool first_of_family(size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(ioi_stat_descs[j].metric,
			    ioi_stat_descs[i].metric))
			return false;
	return true;
}

int ioi_stats_print_prometheus(FILE *f, const struct ioi_stats *s)
{
	size_t i, j;
	bool any;

	/*
	 * A family's lines must come together, HELP and TYPE once: gather
	 * each family at its first entry, whatever the table's order.
	 */
	for (i = 0; i < ioi_stat_ndescs; i++) {
		const struct ioi_stat_desc *d = &ioi_stat_descs[i];

		if (!first_of_family(i))
			continue;
		any = false;
		for (j = i; j < ioi_stat_ndescs; j++)
			if (!strcmp(ioi_stat_descs[j].metric, d->metric) &&
			    sent(s, &ioi_stat_descs[j]))
				any = true;
		if (!any)
			continue;
		fprintf(f, "# HELP %s ", d->metric);
		prom_escape(f, d->help, false);
		fprintf(f, "\n# TYPE %s %s\n", d->metric,
			d->gauge ? "gauge" : "counter");
		for (j = i; j < ioi_stat_ndescs; j++) {
			const struct ioi_stat_desc *e = &ioi_stat_descs[j];

			if (!strcmp(e->metric, d->metric) && sent(s, e))
				prom_sample(f, e, s->vals[e->type]);
		}
	}
	return ferror(f) ? -EIO : 0;
}
