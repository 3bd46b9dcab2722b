/*
 * docx_document.c - word/document.xml: what each element means in the
 * context of its parent's frame (blocks, the runs of a paragraph, the rows
 * and cells of a table); paragraphs, with their numbers and the text boxes
 * they anchor, and tables, through table_render() (table.h).
 */
#include <stdlib.h>
#include <string.h>

#include "front/docx_impl.h"
#include "front/table.h"
#include "stream/err.h"

/* ---- document.xml ---- */

struct para *docx_para_top(struct docx *dx) { return dx->np ? dx->p[dx->np - 1] : NULL; }
static struct tbl *tbl_top(struct docx *dx) { return dx->nt ? dx->t[dx->nt - 1] : NULL; }

static void para_open(struct docx *dx, struct buf *sink)
{
	if (dx->np == dx->capp) {
		dx->p = docx_grow(dx, dx->p, dx->np, &dx->capp, sizeof *dx->p);
		for (size_t i = dx->np; i < dx->capp; i++)
			dx->p[i] = NULL;
	}
	if (!dx->p[dx->np]) {
		dx->p[dx->np] = nm_xmalloc(sizeof **dx->p);
		memset(dx->p[dx->np], 0, sizeof **dx->p);
		docx_hold(dx, sizeof **dx->p);
	}
	struct para *p = dx->p[dx->np++];
	p->ilvl = -1;
	p->numbered = 0;
	p->sink = sink;
}

/* Releases what a paragraph holds; its buffers are kept for the next one. */
static void para_clear(struct docx *dx, struct para *p)
{
	docx_cut(dx, &p->line, 0);
	docx_cut(dx, &p->extra, 0);
	if (p->style)
		docx_hold(dx, -(long long)strlen(p->style) - 1);
	if (p->num_id)
		docx_hold(dx, -(long long)strlen(p->num_id) - 1);
	free(p->style);
	free(p->num_id);
	p->style = p->num_id = NULL;
}

/* A paragraph ends: its line, then the text boxes it anchors. */
void docx_para_close(struct docx *dx)
{
	struct para *p = docx_para_top(dx);
	if (!p->numbered)
		docx_numbering(dx, p);
	docx_add(dx, p->sink, buf_str(&p->line), p->line.len);
	docx_add(dx, p->sink, "\n", 1);
	docx_add(dx, p->sink, buf_str(&p->extra), p->extra.len);
	para_clear(dx, p);
	dx->np--;
}

static void tbl_open(struct docx *dx, struct buf *sink)
{
	if (dx->nt == dx->capt) {
		dx->t = docx_grow(dx, dx->t, dx->nt, &dx->capt, sizeof *dx->t);
		for (size_t i = dx->nt; i < dx->capt; i++)
			dx->t[i] = NULL;
	}
	if (!dx->t[dx->nt]) {
		dx->t[dx->nt] = nm_xmalloc(sizeof **dx->t);
		memset(dx->t[dx->nt], 0, sizeof **dx->t);
		docx_hold(dx, sizeof **dx->t);
	}
	struct tbl *t = dx->t[dx->nt++];
	t->sink = sink;
}

/* Charges what the table grew by since the last look. */
static void tbl_charge(struct docx *dx, struct tbl *t)
{
	docx_hold(dx, (long long)t->t.bytes - (long long)t->charged);
	t->charged = t->t.bytes;
}

static void tbl_clear(struct docx *dx, struct tbl *t)
{
	docx_hold(dx, -(long long)t->charged);
	t->charged = 0;
	table_free(&t->t);
	docx_cut(dx, &t->cell, 0);
}

void docx_tbl_close(struct docx *dx)
{
	struct tbl *t = tbl_top(dx);
	size_t before = t->sink->len;
	size_t room = dx->g.max_held > dx->g.held ? dx->g.max_held - dx->g.held : 0;
	t->t.max_out = room ? room : 1;
	table_render(&t->t, t->sink);
	docx_hold(dx, (long long)(t->sink->len - before));
	if (t->t.cut && !dx->g.stop) {
		dx->g.stop = GUARD_HELD;
		docx_stop(dx);
	}
	tbl_clear(dx, t);
	dx->nt--;
}

void docx_cell_close(struct docx *dx)
{
	struct tbl *t = tbl_top(dx);
	while (t->cell.len && t->cell.s[t->cell.len - 1] == '\n')
		docx_cut(dx, &t->cell, t->cell.len - 1);
	table_cell(&t->t, buf_str(&t->cell), t->span > 0 ? (size_t)t->span : 1,
		   t->vmerge && t->cont ? TABLE_CONTINUE : 1);
	tbl_charge(dx, t);
	docx_cut(dx, &t->cell, 0);
}

/* A child of blocks (the body, a cell, a text box, a content control). */
static int block_child(struct docx *dx, const struct frame *f, enum el el, struct frame *c)
{
	c->sink = f->sink;
	switch (el) {
	case E_P:
		para_open(dx, f->sink);
		return D_P;
	case E_TBL:
		tbl_open(dx, f->sink);
		return D_TABLE;
	case E_SDT:
	case E_CUSTOMXML:
	case E_INS:
	case E_MOVETO:
		return D_BLOCKS;
	case E_SDTCONTENT:
		return f->el == E_SDT ? D_BLOCKS : SKIP;
	case E_ALTERNATE:
		return D_ALT_BLOCKS;
	default:
		return SKIP;
	}
}

/* A child of the runs of a paragraph (or of a hyperlink, insertion, field ...). */
static int para_child(struct docx *dx, const struct frame *f, enum el el, int first,
		      struct frame *c)
{
	struct para *p = docx_para_top(dx);
	if (el == E_PPR && f->ctx == D_P && first)
		return D_PPR;
	if (!p->numbered)
		docx_numbering(dx, p);
	switch (el) {
	case E_R:
		c->line_at = p->line.len;
		c->extra_at = p->extra.len;
		return D_RUN;
	case E_HYPERLINK:
	case E_INS:
	case E_MOVETO:
	case E_SMARTTAG:
	case E_CUSTOMXML:
	case E_FLDSIMPLE:
	case E_DIR:
	case E_BDO:
	case E_SDTCONTENT:
		return D_PARA;
	case E_SDT:
		return D_SDT_PARA;
	case E_ALTERNATE:
		return D_ALT_PARA;
	default:
		return SKIP;
	}
}

static int run_child(struct docx *dx, struct frame *f, enum el el, int first,
		     const struct attrs *at, struct frame *c)
{
	struct para *p = docx_para_top(dx);
	if (f->hidden)
		return SKIP;
	switch (el) {
	case E_RPR:
		return first ? D_RPR : SKIP;
	case E_T:
		return D_TEXT;
	case E_TAB:
	case E_PTAB:
		docx_add(dx, &p->line, "\t", 1);
		break;
	case E_BR:
		if (!docx_has_attr(at, "type") || docx_attr_is(at, "type", "textWrapping"))
			docx_add(dx, &p->line, "\n", 1);
		break;
	case E_CR:
		docx_add(dx, &p->line, "\n", 1);
		break;
	case E_NOBREAKHYPHEN:
		docx_add(dx, &p->line, "-", 1);
		break;
	case E_DRAWING:
	case E_PICT:
	case E_OBJECT:
		return D_DRAWING;
	case E_ALTERNATE:
		return D_ALT_RUN;
	case E_RUBY:
		return D_RUBY;
	default:
		break;
	}
	(void)c;
	return SKIP;
}

int docx_document_child(struct docx *dx, struct frame *f, enum el el, int first,
			const struct attrs *at, struct frame *c)
{
	struct para *p = docx_para_top(dx);
	struct tbl *t = tbl_top(dx);
	c->sink = f->sink;
	switch (f->ctx) {
	case D_ROOT:
		dx->saw_document = el == E_DOCUMENT;
		return dx->saw_document ? D_DOC : SKIP;
	case D_DOC:
		if (el != E_BODY || !first)
			return SKIP;
		dx->saw_body = 1;
		c->sink = dx->out;
		return D_BLOCKS;
	case D_BLOCKS:
		return block_child(dx, f, el, c);
	case D_ALT_BLOCKS:
	case D_ALT_PARA:
	case D_ALT_RUN:
		/* The first mc:Choice stands for the whole alternative. */
		if (el != E_CHOICE || f->taken)
			return SKIP;
		f->taken = 1;
		if (f->ctx == D_ALT_RUN) {
			c->line_at = p->line.len;
			c->extra_at = p->extra.len;
			return D_RUN;
		}
		return f->ctx == D_ALT_BLOCKS ? D_BLOCKS : D_PARA;
	case D_P:
	case D_PARA:
		return para_child(dx, f, el, first, c);
	case D_SDT_PARA:
		return el == E_SDTCONTENT && first ? D_PARA : SKIP;
	case D_PPR:
		if (el == E_PSTYLE && first && !p->style)
			p->style = docx_keep_attr(dx, at, "val");
		return el == E_NUMPR && first ? D_NUMPR : SKIP;
	case D_NUMPR:
		if (el == E_NUMID && first)
			p->num_id = docx_keep_attr(dx, at, "val");
		else if (el == E_ILVL && first)
			p->ilvl = docx_attr_long(at, "val", -1);
		return SKIP;
	case D_RUN:
		return run_child(dx, f, el, first, at, c);
	case D_RPR:
		if (el == E_VANISH && first && docx_attr_on(at))
			dx->f[dx->nf - 2].hidden = 1; /* the run */
		return SKIP;
	case D_TEXT:
		return SKIP;
	case D_DRAWING:
		/* Text boxes: their paragraphs follow the anchoring one. */
		if (el == E_TXBXCONTENT) {
			c->sink = &p->extra;
			return D_BLOCKS;
		}
		return el == E_FALLBACK ? SKIP : el == E_ALTERNATE ? D_ALT_DRAWING : D_DRAWING;
	case D_ALT_DRAWING:
		if (f->taken)
			return SKIP;
		f->taken = 1;
		return D_DRAWING;
	case D_RUBY:
		return el == E_RUBYBASE && first ? D_RUBYBASE : SKIP;
	case D_RUBYBASE:
		if (el != E_R)
			return SKIP;
		c->line_at = p->line.len;
		c->extra_at = p->extra.len;
		return D_RUN;
	case D_TABLE:
		if (el != E_TR)
			return SKIP;
		table_row(&t->t);
		tbl_charge(dx, t);
		return D_ROW;
	case D_ROW:
		if (el == E_TRPR && first)
			return D_TRPR;
		/* fall through */
	case D_ROW_SDT:
		if (el == E_TC) {
			t->span = 1;
			t->vmerge = t->cont = 0;
			return D_CELL;
		}
		return el == E_SDT || el == E_CUSTOMXML || el == E_SDTCONTENT ? D_ROW_SDT : SKIP;
	case D_TRPR:
		if (el == E_GRIDBEFORE && first) {
			long before = docx_attr_long(at, "val", 0);
			if (before > 0) {
				table_cell(&t->t, NULL, (size_t)before, 1);
				tbl_charge(dx, t);
			}
		}
		return SKIP;
	case D_CELL:
		if (el == E_TCPR && first)
			return D_TCPR;
		c->sink = &t->cell;
		{
			struct frame cf = *f;
			cf.sink = &t->cell;
			return block_child(dx, &cf, el, c);
		}
	case D_TCPR:
		if (el == E_VMERGE && first) {
			const char *v;
			size_t len;
			t->vmerge = 1;
			t->cont = !docx_attr(at, "val", &v, &len) ||
				  docx_attr_is(at, "val", "continue");
		} else if (el == E_GRIDSPAN && first) {
			t->span = docx_attr_long(at, "val", 1);
		}
		return SKIP;
	}
	return SKIP;
}

/* Releases the paragraphs and tables, open or kept for the next ones. */
void docx_doc_clear(struct docx *dx)
{
	while (dx->np)
		para_clear(dx, dx->p[--dx->np]);
	for (size_t i = 0; i < dx->capp && dx->p; i++) {
		if (dx->p[i]) {
			buf_free(&dx->p[i]->line);
			buf_free(&dx->p[i]->extra);
			free(dx->p[i]);
		}
	}
	while (dx->nt)
		tbl_clear(dx, dx->t[--dx->nt]);
	for (size_t i = 0; i < dx->capt && dx->t; i++) {
		if (dx->t[i]) {
			buf_free(&dx->t[i]->cell);
			free(dx->t[i]);
		}
	}
	free(dx->p);
	free(dx->t);
	dx->p = NULL;
	dx->t = NULL;
	dx->capp = dx->capt = 0;
}
