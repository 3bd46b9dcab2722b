/*
 * book.c - a workbook being written: formats made once, cells written
 * through one set of helpers that keep the first libxlsxwriter error (a
 * workbook with an error is dropped, never half written), column widths
 * and row heights measured from the text, and the page set-up of a sheet
 * printed on A4.
 *
 * Sizes: a column's width is worked out in characters of the body font (a
 * CJK character is one, ASCII about 0.6) and set in Excel's units (the
 * width of a digit of the default font, 7 pixels, plus 5 pixels of
 * padding per column). Rows get the height their tallest wrapped cell
 * needs, lines counted the way a spreadsheet breaks them: between CJK
 * characters, never inside a run of Latin letters or digits, never before
 * a closing mark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

/* libxlsxwriter 1.1.4 aborts on a longer inline drop-down list. */
#define INLINE_LIST_MAX 255
/* A4 landscape less the margins set below, in pixels at 96 dpi, with 9% to spare:
 * LibreOffice takes a unit as 7.4 pixels (Carlito), Excel as 7. */
#define PAGE_PX ((11.69 - 0.75 - 0.35) * 96 * 0.91)
#define LINE_EM 1.45 /* line height of CJK fonts (Noto CJK: 1.448 em) */
#define ASCII_EM 0.6 /* an ASCII character, in ems of the body font */

void book_ok(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR) {
		b->err = e;
		b->err_sheet = b->sheet;
	}
}

void *book_need(struct book *b, void *p)
{
	if (!p)
		book_ok(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return p;
}

static lxw_format *fmt_font(struct book *b, const char *font, double size, int bold)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		nm_die(NM_ENOMEM, "out of memory");
	format_set_font_name(f, font);
	format_set_font_family(f, 3);    /* modern: how Excel tags CJK fonts */
	format_set_font_charset(f, 134); /* GB2312_CHARSET */
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	return f;
}

/* A bordered table cell: bold in 黑体, else in 仿宋; fill 0 is none. */
static lxw_format *fmt_cell(struct book *b, int bold, lxw_color_t fill, uint8_t align, int wrap)
{
	lxw_format *f = fmt_font(b, bold ? FONT_HEAD : FONT_BODY, b->size, bold);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (align)
		format_set_align(f, align);
	if (wrap)
		format_set_text_wrap(f);
	if (fill) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, fill);
	}
	return f;
}

static void fmts_levels(struct book *b)
{
	static const lxw_color_t FILL[4] = {0xFFC7CE, 0xFFEB9C, 0xDDEBF7, 0};
	for (int i = 0; i < 4; i++) {
		b->f.ltext[i] = fmt_cell(b, 0, FILL[i], 0, 1);
		b->f.lmid[i] = fmt_cell(b, 0, FILL[i], LXW_ALIGN_CENTER, 1);
		b->f.llink[i] = fmt_cell(b, 0, FILL[i], LXW_ALIGN_CENTER, 0);
		format_set_font_color(b->f.llink[i], 0x0563C1);
		format_set_underline(b->f.llink[i], LXW_UNDERLINE_SINGLE);
	}
}

static lxw_format *fmt_highlight(struct book *b, lxw_color_t fill, lxw_color_t font)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		nm_die(NM_ENOMEM, "out of memory");
	if (fill) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, fill);
	}
	format_set_font_color(f, font);
	return f;
}

void book_formats(struct book *b, double size)
{
	static const lxw_color_t HEAD_FILL = 0xD9E1F2, BAND = 0xF2F2F2;
	struct fmts *f = &b->f;
	b->size = size;
	f->title = fmt_font(b, FONT_HEAD, 16, 1);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f->title);
	f->title_big = fmt_font(b, FONT_HEAD, 16, 1);
	f->title_small = fmt_font(b, FONT_BODY, size, 0);
	f->head = fmt_cell(b, 1, HEAD_FILL, LXW_ALIGN_CENTER, 1);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	f->head_rot = fmt_cell(b, 0, HEAD_FILL, LXW_ALIGN_CENTER, 0);
	format_set_rotation(f->head_rot, 270);
	format_set_align(f->head_rot, LXW_ALIGN_VERTICAL_TOP);
	f->note = fmt_font(b, FONT_BODY, size, 0);
	format_set_text_wrap(f->note);
	format_set_align(f->note, LXW_ALIGN_VERTICAL_TOP);
	f->key = fmt_cell(b, 1, 0, 0, 1);
	f->total = fmt_cell(b, 1, HEAD_FILL, LXW_ALIGN_CENTER, 0);
	f->mark = fmt_cell(b, 0, 0, LXW_ALIGN_CENTER, 0);
	format_set_align(f->mark, LXW_ALIGN_VERTICAL_CENTER);
	f->plain = fmt_cell(b, 0, 0, 0, 1);
	f->count = fmt_cell(b, 0, 0, LXW_ALIGN_LEFT, 0);
	format_set_num_format(f->count, "#,##0");
	for (int band = 0; band < 2; band++) {
		lxw_color_t fill = band ? BAND : 0;
		f->text[band] = fmt_cell(b, 0, fill, 0, 1);
		f->mid[band] = fmt_cell(b, 0, fill, LXW_ALIGN_CENTER, 1);
		f->date[band] = fmt_cell(b, 0, fill, LXW_ALIGN_CENTER, 0);
		format_set_num_format(f->date[band], DATE_FORMAT);
		f->state[band] = fmt_cell(b, 0, fill, LXW_ALIGN_CENTER, 1);
		format_set_unlocked(f->state[band]);
	}
	fmts_levels(b);
	f->late = fmt_highlight(b, 0xFFC7CE, 0x9C0006);
	f->soon = fmt_highlight(b, 0xFFEB9C, 0x9C5700);
	f->behind = fmt_highlight(b, 0xF8CBAD, 0x833C0B);
	format_set_bold(f->behind);
	f->done = fmt_highlight(b, 0, 0x808080);
}

/* Removes U+FFFE and U+FFFF, which XML does not allow, from valid UTF-8. */
static void drop_nonchars(struct buf *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->len; i++) {
		if ((unsigned char)t->s[i] == 0xEF && i + 2 < t->len &&
		    (unsigned char)t->s[i + 1] == 0xBF &&
		    ((unsigned char)t->s[i + 2] & 0xFE) == 0xBE) {
			i += 2;
			continue;
		}
		t->s[w++] = t->s[i];
	}
	t->len = w;
	if (t->s)
		t->s[w] = '\0';
}

/* Cuts t after max characters, marking the cut with …. */
static void cut_chars(struct buf *t, size_t max)
{
	size_t chars = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (((unsigned char)t->s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max) {
			t->len = i;
			t->s[i] = '\0';
			buf_adds(t, "…");
			return;
		}
	}
}

const char *book_safe(struct book *b, const char *s)
{
	buf_reset(&b->text);
	utf8_scrub(&b->text, s ? s : "");
	drop_nonchars(&b->text);
	cut_chars(&b->text, CELL_CHARS);
	return buf_str(&b->text);
}

/* ---- Measuring text ---- */

/* One piece that is not broken across lines, and its width in ems. */
/* Whether a character starting with byte b may be an opening or closing mark:
 * the marks' first bytes (E2: “”‘’…, E3: 。、《》「」『』【】, EF: full-width forms). */
static int may_be_mark(unsigned char b)
{
	switch (b) {
	case 0xE2:
	case 0xE3:
	case 0xEF:
	case ',':
	case '.':
	case ';':
	case ':':
	case '(':
	case ')':
	case '%':
		return 1;
	default:
		return 0;
	}
}

static size_t next_piece(const char *s, double *w)
{
	static const char *const CLOSING[] = {"，", "。", "、", "；", "：", "？", "！", "）",
					      "》", "」", "』", "”",  "’",  "】", "…",  "%",
					      ",",  ".",  ";",  ":",  ")",  NULL};
	static const char *const OPENING[] = {"（", "《", "「", "『", "“", "‘", "【", "(", NULL};
	size_t n = 0;
	*w = 0;
	for (;;) {
		const unsigned char c = (unsigned char)s[n];
		size_t k;
		if (!c || c == '\n')
			break;
		if (c < 0x80 && c != ' ' && (c > ' ')) {
			/* an ASCII run: letters, digits and the marks inside numbers */
			k = 0;
			while (s[n + k] && (unsigned char)s[n + k] < 0x80 && s[n + k] != ' ' &&
			       s[n + k] != '\n' && s[n + k] != '(' && s[n + k] != ')')
				k++;
			if (!k)
				k = 1;
			*w += ASCII_EM * (double)k;
		} else if (c == ' ') {
			k = 1;
			*w += 0.3;
		} else {
			uint32_t cp;
			k = utf8_decode(s + n, strnlen(s + n, 4), &cp);
			if (!k)
				k = 1;
			*w += (cp >= 0xFF61 && cp <= 0xFF9F) ? 0.5 : 1.0;
		}
		int opening = 0;
		/* (first byte first: this runs at every character; most are none) */
		for (size_t i = 0; may_be_mark((unsigned char)s[n]) && OPENING[i]; i++)
			if (s[n] == OPENING[i][0] &&
			    strncmp(s + n, OPENING[i], strlen(OPENING[i])) == 0 &&
			    k == strlen(OPENING[i]))
				opening = 1;
		n += k;
		if (opening)
			continue; /* an opening mark stays with what follows */
		/* a closing mark stays with what precedes it */
		int closing = 0;
		for (size_t i = 0; may_be_mark((unsigned char)s[n]) && CLOSING[i]; i++)
			if (s[n] == CLOSING[i][0] &&
			    strncmp(s + n, CLOSING[i], strlen(CLOSING[i])) == 0)
				closing = 1;
		if (!closing)
			break;
	}
	return n;
}

double text_width(const char *s)
{
	double widest = 0, line = 0, w;
	while (*s) {
		if (*s == '\n') {
			widest = line > widest ? line : widest;
			line = 0;
			s++;
			continue;
		}
		s += next_piece(s, &w);
		line += w;
	}
	return line > widest ? line : widest;
}

size_t text_lines(const char *s, double width)
{
	double room = width - 0.4; /* the cell's own padding */
	double used = 0, w;
	size_t lines = 1;
	if (room < 1)
		room = 1;
	while (*s) {
		if (*s == '\n') {
			lines++, used = 0, s++;
			continue;
		}
		s += next_piece(s, &w);
		if (used > 0 && used + w > room + 1e-9) {
			lines++;
			used = 0;
		}
		while (w > room) { /* longer than a line: broken where it must */
			lines++;
			w -= room;
		}
		used += w;
	}
	return lines;
}

double book_units(const struct book *b, double chars)
{
	double px = chars * b->size * 96.0 / 72.0 + 6;
	double u = (px - 5) / 7.0;
	return u < 1 ? 1 : u;
}

double book_chars(const struct book *b, double units)
{
	return (units * 7.0 + 5 - 6) / (b->size * 96.0 / 72.0);
}

double book_row_height(const struct book *b, size_t lines)
{
	return (double)lines * b->size * LINE_EM + b->size * 0.5;
}

double page_units(void) { return PAGE_PX / 7.0; }

/* Keeps the widest line of a column, and a wrapped cell's text for its row. */
static void measure(struct book *b, lxw_row_t r, lxw_col_t c, int wraps)
{
	if (c >= NWIDTH)
		return;
	double w = text_width(buf_str(&b->text));
	b->width[c] = w > b->width[c] ? w : b->width[c];
	if (wraps && b->text.len) {
		b->paras = wb_grow(b->paras, &b->paracap, b->npara, sizeof *b->paras);
		b->paras[b->npara++] = (struct para){r, c, nm_xstrdup(buf_str(&b->text))};
	}
}

void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	      lxw_format *f)
{
	book_ok(b, worksheet_write_string(ws, r, c, book_safe(b, s), f));
	measure(b, r, c, f && f->text_wrap);
}

void put_list(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	      lxw_format *f)
{
	struct buf joined = BUF_INIT;
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == REC_LIST_SEP)
			buf_adds(&joined, "、");
		else
			buf_addc(&joined, *p);
	}
	put_text(b, ws, r, c, buf_str(&joined), f);
	buf_free(&joined);
}

void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
	book_ok(b, worksheet_write_number(ws, r, c, v, f));
	char digits[32];
	snprintf(digits, sizeof digits, "%.15g", v);
	if (c < NWIDTH && b->width[c] < ASCII_EM * (double)strlen(digits))
		b->width[c] = ASCII_EM * (double)strlen(digits);
}

void put_blank(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_format *f)
{
	book_ok(b, worksheet_write_blank(ws, r, c, f));
}

void put_date(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *iso,
	      lxw_format *date, lxw_format *text)
{
	int y, m, d;
	if (!iso || !*iso) {
		put_blank(b, ws, r, c, date);
	} else if (date_from_iso(iso, &y, &m, &d) && y >= 1900 && y <= 9999) {
		lxw_datetime dt = {y, m, d, 0, 0, 0};
		book_ok(b, worksheet_write_datetime(ws, r, c, &dt, date));
		if (c < NWIDTH && b->width[c] < 3 + 8 * ASCII_EM)
			b->width[c] = 3 + 8 * ASCII_EM; /* 2020年12月31日 */
	} else {
		put_text(b, ws, r, c, iso, text);
	}
}

void put_short(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	       size_t max, lxw_format *f)
{
	size_t at = 0, chars = 0;
	while (s[at] && chars <= max) /* only the start is read: content may be long */
		chars += ((unsigned char)s[at++] & 0xC0) != 0x80;
	buf_reset(&b->shortened);
	buf_add(&b->shortened, s, at);
	for (size_t i = 0; i < b->shortened.len; i++)
		if (b->shortened.s[i] == '\n' || b->shortened.s[i] == '\t')
			b->shortened.s[i] = ' ';
	cut_chars(&b->shortened, max);
	put_text(b, ws, r, c, buf_str(&b->shortened), f);
}

void put_formula(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *formula,
		 const char *shown, lxw_format *f)
{
	book_ok(b, worksheet_write_formula_str(ws, r, c, formula, f, shown));
}

void put_header(struct book *b, lxw_worksheet *ws, lxw_row_t r, const struct column *cols, size_t n)
{
	for (size_t c = 0; c < n; c++)
		put_text(b, ws, r, (lxw_col_t)c, cols[c].head, b->f.head);
}

void set_width(struct book *b, lxw_worksheet *ws, lxw_col_t c, double units)
{
	book_ok(b, worksheet_set_column(ws, c, c, units, NULL));
	if (c < NWIDTH)
		b->colw[c] = units;
}

double set_widths(struct book *b, lxw_worksheet *ws, const struct column *cols, size_t n)
{
	double total = 0;
	for (size_t c = 0; c < n && c < NWIDTH; c++) {
		double w = b->width[c] + 0.5;
		w = w < cols[c].min ? cols[c].min : w > cols[c].max ? cols[c].max : w;
		double u = book_units(b, w);
		set_width(b, ws, (lxw_col_t)c, u);
		total += u;
	}
	return total;
}

static int by_row(const void *pa, const void *pb)
{
	const struct para *a = pa, *b = pb;
	int c = (a->row > b->row) - (a->row < b->row);
	return c ? c : (a->col > b->col) - (a->col < b->col);
}

void fit_rows(struct book *b, lxw_worksheet *ws)
{
	wb_sort(b->paras, b->npara, sizeof *b->paras, by_row);
	for (size_t i = 0; i < b->npara;) {
		lxw_row_t r = b->paras[i].row;
		size_t most = 1;
		for (; i < b->npara && b->paras[i].row == r; i++) {
			const struct para *p = &b->paras[i];
			if (b->hidden[p->col]) {
				free(p->text);
				continue;
			}
			size_t lines = text_lines(p->text, book_chars(b, b->colw[p->col]));
			most = lines > most ? lines : most;
			free(p->text);
		}
		double h = book_row_height(b, most);
		if (h > ROW_MAX_PT) {
			if (b->too_tall)
				b->too_tall(b->too_tall_ctx, b->sheet, r, h);
			h = ROW_MAX_PT;
		}
		if (most > 1 || b->size > 11)
			book_ok(b, worksheet_set_row(ws, r, h, NULL));
	}
	b->npara = 0;
}

void page_setup(struct book *b, lxw_worksheet *ws, int first, int last, int repeat_col,
		uint16_t pages_wide, const char *header)
{
	lxw_header_footer_options hf = {.margin = 0.25};
	worksheet_set_paper(ws, 9);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, pages_wide, 0);
	/* left 0.75 in: room to bind the printed pages */
	worksheet_set_margins(ws, 0.75, 0.35, 0.6, 0.55);
	book_ok(b, worksheet_set_footer_opt(ws, "&C第 &P 页 共 &N 页", &hf));
	if (header && *header)
		book_ok(b, worksheet_set_header_opt(ws, header, &hf));
	if (first >= 0)
		book_ok(b, worksheet_repeat_rows(ws, (lxw_row_t)first, (lxw_row_t)last));
	if (repeat_col)
		book_ok(b, worksheet_repeat_columns(ws, 0, 0));
}

lxw_worksheet *sheet_add(struct book *b, const char *name)
{
	b->sheet = name;
	return book_need(b, workbook_add_worksheet(b->wb, name));
}

void sheet_begin(struct book *b, const char *name)
{
	b->sheet = name;
	memset(b->width, 0, sizeof b->width);
	memset(b->colw, 0, sizeof b->colw);
	memset(b->hidden, 0, sizeof b->hidden);
	for (size_t i = 0; i < b->npara; i++)
		free(b->paras[i].text);
	b->npara = 0;
}

void title_cell(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t last, const char *title,
		const char *sub, double width_units)
{
	struct buf big = BUF_INIT, small = BUF_INIT;
	buf_adds(&big, book_safe(b, title));
	if (sub && *sub) {
		buf_addc(&small, '\n');
		buf_adds(&small, book_safe(b, sub));
	}
	if (last > 0)
		book_ok(b, worksheet_merge_range(ws, r, 0, r, last, "", b->f.title));
	if (small.len && big.len) {
		lxw_rich_string_tuple t1 = {b->f.title_big, big.s},
				      t2 = {b->f.title_small, small.s};
		lxw_rich_string_tuple *parts[] = {&t1, &t2, NULL};
		book_ok(b, worksheet_write_rich_string(ws, r, 0, parts, b->f.title));
	} else {
		book_ok(b, worksheet_write_string(ws, r, 0, big.len ? big.s : small.s + small.len,
						  b->f.title));
	}
	/* lines of the title at 16 points and of the rest at the body size */
	double chars16 = book_chars(b, width_units) * b->size / 16.0;
	size_t l16 = big.len ? text_lines(big.s, chars16) : 0;
	size_t lsub = small.len ? text_lines(small.s + 1, book_chars(b, width_units)) : 0;
	double h = (double)l16 * 16 * 1.45 + (double)lsub * b->size * 1.45 + 10;
	book_ok(b, worksheet_set_row(ws, r, h > ROW_MAX_PT ? ROW_MAX_PT : h, NULL));
	buf_free(&big), buf_free(&small);
}

/* Points dv at items: inline when short enough, else on the hidden sheet. */
static void list_source(struct book *b, lxw_data_validation *dv, char **items, char *formula,
			size_t cap)
{
	size_t len = 0, n = 0;
	for (; items[n]; n++)
		len += strlen(items[n]) + (n > 0);
	if (len <= INLINE_LIST_MAX) {
		dv->validate = LXW_VALIDATION_TYPE_LIST;
		dv->value_list = items;
		return;
	}
	const char *sheet = b->sheet;
	if (!b->lists && (b->lists = sheet_add(b, "下拉列表")))
		worksheet_hide(b->lists);
	b->sheet = sheet;
	if (!b->lists)
		return;
	for (size_t i = 0; i < n; i++)
		book_ok(b, worksheet_write_string(b->lists, b->nlist + (lxw_row_t)i, 0,
						  book_safe(b, items[i]), NULL));
	snprintf(formula, cap, "='下拉列表'!$A$%u:$A$%u", (unsigned)b->nlist + 1,
		 (unsigned)(b->nlist + n));
	b->nlist += (lxw_row_t)n;
	dv->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	dv->value_formula = formula;
}

void state_list(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last, lxw_col_t c)
{
	static char *STATES[] = {"未启动", "推进中", "已完成", "滞后", NULL};
	char formula[128];
	lxw_data_validation dv = {0};
	list_source(b, &dv, STATES, formula, sizeof formula);
	dv.input_title = "完成状态";
	dv.input_message = "请从下拉列表选择:未启动、推进中、已完成、滞后";
	dv.error_title = "完成状态";
	dv.error_message = "请从下拉列表选择:未启动、推进中、已完成、滞后";
	if (dv.validate)
		book_ok(b, worksheet_data_validation_range(ws, first, c, last, c, &dv));
}

/*
 * Rows done (muted), behind (coloured whatever the date), overdue (red) or
 * due within 30 days (yellow), live through TODAY(); 时限状态 says the same
 * in words, for a black-and-white printer.
 */
void status_colours(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last,
		    lxw_col_t lastcol, lxw_col_t dcol, lxw_col_t scol)
{
	char h[8], k[8], done[128], behind[128], late[256], soon[256];
	unsigned r = (unsigned)first + 1;
	lxw_col_to_name(h, dcol, 1);
	lxw_col_to_name(k, scol, 1);
	snprintf(done, sizeof done, "=$%s%u=\"已完成\"", k, r);
	snprintf(behind, sizeof behind, "=$%s%u=\"滞后\"", k, r);
	snprintf(late, sizeof late, "=AND(ISNUMBER($%s%u),$%s%u<TODAY())", h, r, h, r);
	snprintf(soon, sizeof soon, "=AND(ISNUMBER($%s%u),$%s%u>=TODAY(),$%s%u<=TODAY()+30)", h, r,
		 h, r, h, r);
	const char *rule[] = {done, behind, late, soon};
	lxw_format *fmt[] = {b->f.done, b->f.behind, b->f.late, b->f.soon};
	for (int i = 0; i < 4; i++) {
		lxw_conditional_format cf = {0};
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		cf.value_string = (char *)rule[i];
		cf.format = fmt[i];
		cf.stop_if_true = 1;
		book_ok(b, worksheet_conditional_format_range(ws, first, 0, last, lastcol, &cf));
	}
}
