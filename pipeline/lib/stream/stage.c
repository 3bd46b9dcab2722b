/* stage.c - the record loop every stage shares. */
#include <string.h>

#include "stream/err.h"
#include "stream/stage.h"

static const char CUT[] = "fail\tthe record stream ended inside the notice\n";

/* Feeds st the fail record of a document whose stream was cut. */
static void cut_short(const struct stage *st, FILE *out)
{
	struct rec r = REC_INIT;
	FILE *mem = fmemopen((void *)CUT, strlen(CUT), "r");
	if (mem && rec_read(&r, mem) > 0 && st->record(st->state, &r, out))
		rec_pass(out, &r);
	if (mem)
		fclose(mem);
	rec_free(&r);
	if (st->end)
		st->end(st->state, out, 0);
	rec_put(out, "end", NULL);
	fflush(out);
}

int stage_loop(FILE *in, FILE *out, const struct stage *st)
{
	struct rec r = REC_INIT;
	int rc, open = 0;
	while ((rc = rec_read(&r, in)) > 0) {
		enum rec_kind kind = rec_kind(&r);
		if (kind == REC_DOC) {
			if (open) /* a doc inside a doc: the first one was cut short */
				cut_short(st, out);
			open = 1;
		}
		if (kind == REC_END && open) {
			st->record(st->state, &r, out);
			if (st->end)
				st->end(st->state, out, 1);
			open = 0;
			rec_pass(out, &r);
			/* a document at a time: the next stage, or the driver, need not wait */
			fflush(out);
			continue;
		}
		if (st->record(st->state, &r, out))
			rec_pass(out, &r);
	}
	if (open && rc == 0)
		cut_short(st, out);
	rec_free(&r);
	return rc < 0 ? -1 : 0;
}

int stage_run(const struct stage *st)
{
	if (stage_loop(stdin, stdout, st) < 0)
		nm_die(NM_EINPUT, "read error on standard input");
	nm_close_stdout();
	return 0;
}
