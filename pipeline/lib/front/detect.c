/* detect.c - encoding detection and conversion to UTF-8. */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "front/detect.h"
#include "stream/utf8.h"

/* Characters frequent in modern notices, simplified and traditional. */
static const char SIMPLIFIED[] =
	"的一是在不了有和人这中大为上个国以要时来用们生到作地于出就分对成会可主发年"
	"动同工也能下过产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化"
	"高自二理起小物现实加量都两体制机当使点从业本去把性好应开还因由其些然前外天"
	"政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第"
	"向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
	"象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
	"计别手角期根论运农指几九区强放决西被干做必战先回则任取据处府市县局委单配领"
	"导责施推务保障环境服务经济发展改革财监督";
static const char TRADITIONAL[] =
	"的一是在不了有和人這中大為上個國以要時來用們生到作地於出就分對成會可主發年"
	"動同工也能下過產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化"
	"高自二理起小物現實加量都兩體制機當使點從業本去把性好應開還因由其些然前外天"
	"政四日那社義事平形相全表間樣與關各重新線內數正心反明看原又麼利比或但質氣第"
	"向道命此變條只沒結解問意建月公無係軍很情者最立代想已通並提直題黨程展五果料"
	"象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見"
	"計別手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處府市縣局委單配領"
	"導責施推務保障環境服務經濟發展改革財監督";

static const struct magic {
	const char *bytes;
	size_t n;
	const char *what;
} MAGIC[] = {
	{"\x89PNG", 4, "PNG image"},
	{"\xFF\xD8\xFF", 3, "JPEG image"},
	{"GIF8", 4, "GIF image"},
	{"%PDF", 4, "PDF document"},
	{"PK\x03\x04", 4, "zip archive (a .docx or .xlsx?)"},
	{"\xD0\xCF\x11\xE0", 4, "OLE document (a .doc or .wps?)"},
	{"\177ELF", 4, "executable"},
	{"\x1F\x8B", 2, "gzip archive"},
	{"Rar!", 4, "rar archive"},
	{"7z\xBC\xAF", 4, "7z archive"},
};

static const char *magic_of(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof MAGIC / sizeof *MAGIC; i++)
		if (n >= MAGIC[i].n && memcmp(s, MAGIC[i].bytes, MAGIC[i].n) == 0)
			return MAGIC[i].what;
	return NULL;
}

static void note_invalid(struct decoded *d, size_t at)
{
	if (d->invalid++ == 0)
		d->first_invalid = at;
}

/*
 * Converts with iconv; an undecodable sequence becomes U+FFFD and the
 * converter skips one code unit (two bytes for UTF-16).
 */
static int convert(const char *from, const char *s, size_t n, size_t base, struct decoded *d)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -1;
	size_t unit = strncmp(from, "UTF-16", 6) == 0 ? 2 : 1;
	char *in = (char *)s;
	size_t inleft = n;
	buf_grow(&d->text, n + n / 2 + 16);
	while (inleft > 0) {
		buf_grow(&d->text, inleft + inleft / 2 + 16);
		char *out = d->text.s + d->text.len;
		size_t outleft = d->text.cap - d->text.len - 1;
		size_t rc = iconv(cd, &in, &inleft, &out, &outleft);
		d->text.len = (size_t)(out - d->text.s);
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		note_invalid(d, base + (size_t)(in - s));
		buf_adds(&d->text, UTF8_REPLACEMENT);
		size_t skip = errno == EINVAL ? inleft : (unit < inleft ? unit : inleft);
		in += skip;
		inleft -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	char *out = d->text.s + d->text.len;
	size_t outleft = d->text.cap - d->text.len - 1;
	iconv(cd, NULL, NULL, &out, &outleft);
	d->text.len = (size_t)(out - d->text.s);
	d->text.s[d->text.len] = '\0';
	iconv_close(cd);
	return 0;
}

/* Bytes of a sequence cut short: a lead byte and the continuation bytes after it. */
static size_t truncated_run(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t want = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 1;
	size_t k = 1;
	while (k < want && k < n && (s[k] & 0xC0) == 0x80)
		k++;
	return k < want ? k : 1;
}

/* UTF-8 needs no converter: each invalid or cut-short sequence becomes one
 * U+FFFD. */
static void copy_utf8(const char *s, size_t n, size_t base, struct decoded *d)
{
	uint32_t c;
	buf_grow(&d->text, n);
	for (size_t i = 0; i < n;) {
		size_t run = i;
		while (run < n && (unsigned char)s[run] < 0x80)
			run++;
		buf_add(&d->text, s + i, run - i);
		i = run;
		if (i >= n)
			break;
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len) {
			buf_add(&d->text, s + i, len);
			i += len;
		} else {
			note_invalid(d, base + i);
			buf_adds(&d->text, UTF8_REPLACEMENT);
			i += truncated_run(s + i, n - i);
		}
	}
}

/* Invalid sequences copy_utf8() would replace, and the offset of the first. */
static size_t utf8_invalid(const char *s, size_t n, size_t *first)
{
	size_t bad = 0;
	uint32_t c;
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len) {
			i += len;
		} else {
			if (bad++ == 0)
				*first = i;
			i += truncated_run(s + i, n - i);
		}
	}
	return bad;
}

/* Sequences convert() would replace, counted without keeping the text;
 * (size_t)-1 when iconv does not know the encoding. */
static size_t iconv_invalid(const char *from, const char *s, size_t n, size_t *first)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return (size_t)-1;
	size_t unit = strncmp(from, "UTF-16", 6) == 0 ? 2 : 1, bad = 0;
	char out[16384], *in = (char *)s;
	size_t inleft = n;
	while (inleft > 0) {
		char *o = out;
		size_t oleft = sizeof out;
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (bad++ == 0)
			*first = (size_t)(in - s);
		size_t skip = errno == EINVAL ? inleft : (unit < inleft ? unit : inleft);
		in += skip;
		inleft -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return bad;
}

/* Counts valid multi-byte sequences and invalid bytes, as UTF-8. */
static void utf8_census(const char *s, size_t n, size_t *good, size_t *bad)
{
	uint32_t c;
	*good = *bad = 0;
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len) {
			(*good)++;
			i += len;
		} else {
			(*bad)++;
			i++;
		}
	}
}

/* UTF-16 without BOM: the NUL high bytes of ASCII fall on one parity (a few
 * CJK characters such as 一 U+4E00 put a NUL on the other). */
static const char *utf16_guess(const char *s, size_t n)
{
	size_t even = 0, odd = 0, lim = n < 65536 ? n : 65536;
	for (size_t i = 0; i < lim; i++)
		if (s[i] == '\0' && i % 2)
			odd++;
		else if (s[i] == '\0')
			even++;
	if (lim < 4 || (even + odd) * 20 < lim)
		return NULL;
	if (odd > 3 * even)
		return "UTF-16LE";
	if (even > 3 * odd)
		return "UTF-16BE";
	return NULL;
}

/*
 * UTF-16 without BOM and without ASCII: nearly every code unit of a Chinese
 * notice is a CJK ideograph or CJK punctuation, which bytes of any other
 * encoding read as UTF-16 seldom are.
 */
static const char *utf16_by_content(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t lim = (n < 65536 ? n : 65536) & ~(size_t)1, le = 0, be = 0;
	if (lim < 16 || n % 2)
		return NULL;
	for (size_t i = 0; i < lim; i += 2) {
		unsigned a = s[i] | s[i + 1] << 8, b = s[i] << 8 | s[i + 1];
		le += (a >= 0x4E00 && a <= 0x9FFF) || (a >= 0x3000 && a <= 0x303F) ||
		      (a >= 0xFF00 && a <= 0xFFEF) || a == '\n' || a == '\r' ||
		      (a >= 0x20 && a < 0x7F);
		be += (b >= 0x4E00 && b <= 0x9FFF) || (b >= 0x3000 && b <= 0x303F) ||
		      (b >= 0xFF00 && b <= 0xFFEF) || b == '\n' || b == '\r' ||
		      (b >= 0x20 && b < 0x7F);
	}
	size_t units = lim / 2;
	if (le * 100 >= units * 95 && le > be)
		return "UTF-16LE";
	if (be * 100 >= units * 95 && be > le)
		return "UTF-16BE";
	return NULL;
}

/* The frequent characters as a bitmap of the CJK block, made on first use. */
struct frequent {
	const char *chars;
	int ready;
	unsigned char bits[(0x9FFF - 0x4E00) / 8 + 1];
};

static struct frequent FREQ_SIMPLIFIED = {SIMPLIFIED, 0, {0}};
static struct frequent FREQ_TRADITIONAL = {TRADITIONAL, 0, {0}};

static int is_frequent(struct frequent *f, uint32_t c)
{
	if (!f->ready) {
		uint32_t k;
		size_t n = strlen(f->chars);
		for (size_t i = 0; i < n;) {
			size_t len = utf8_decode(f->chars + i, n - i, &k);
			if (len && k >= 0x4E00 && k <= 0x9FFF)
				f->bits[(k - 0x4E00) / 8] |= (unsigned char)(1u
									     << ((k - 0x4E00) % 8));
			i += len ? len : 1;
		}
		f->ready = 1;
	}
	return f->bits[(c - 0x4E00) / 8] >> ((c - 0x4E00) % 8) & 1;
}

/* Share of decoded CJK characters that are among the frequent ones. */
static double frequent_share(const char *text, size_t n, struct frequent *frequent)
{
	size_t cjk = 0, hits = 0;
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(text + i, n - i, &c);
		if (!len) {
			i++;
			continue;
		}
		if (c >= 0x4E00 && c <= 0x9FFF) {
			cjk++;
			hits += (size_t)is_frequent(frequent, c);
		}
		i += len;
	}
	return cjk ? (double)hits / (double)cjk : 0.0;
}

/* Bytes of a legacy encoding sampled to choose it. */
#define LEGACY_SAMPLE 16384
/* A sample with fewer Chinese characters than this does not tell GB from Big5. */
#define LEGACY_MIN_CJK 20

struct legacy_fit {
	double gb, big5; /* how well the sample reads in each (frequent_share) */
	size_t cjk;      /* Chinese characters in the sample read as GB18030 */
};

/*
 * Reads a sample as GB18030 and as Big5 and scores each by its share of
 * frequent characters (Big5 less its undecodable bytes). The sample starts
 * at the first byte that is not ASCII: a page's markup or an English
 * header tells nothing. big5 is computed only when gb < 0.35 or always.
 */
static void legacy_fit(const char *s, size_t n, int always, struct legacy_fit *f)
{
	size_t from = 0;
	while (from < n && (unsigned char)s[from] < 0x80)
		from++;
	from = from > 64 ? from - 64 : 0; /* a few ASCII bytes keep their context */
	size_t sample = n - from < LEGACY_SAMPLE ? n - from : LEGACY_SAMPLE;
	struct decoded gb = {0}, big5 = {0};
	convert("GB18030", s + from, sample, 0, &gb);
	f->gb = frequent_share(gb.text.s, gb.text.len, &FREQ_SIMPLIFIED);
	f->cjk = 0;
	uint32_t c;
	for (size_t i = 0; i < gb.text.len;) {
		size_t len = utf8_decode(gb.text.s + i, gb.text.len - i, &c);
		f->cjk += len && c >= 0x4E00 && c <= 0x9FFF;
		i += len ? len : 1;
	}
	f->big5 = 0;
	if ((always || f->gb < 0.35) && convert("BIG5", s + from, sample, 0, &big5) == 0)
		f->big5 = frequent_share(big5.text.s, big5.text.len, &FREQ_TRADITIONAL) -
			  (double)big5.invalid / (double)(sample + 1);
	decoded_free(&gb);
	decoded_free(&big5);
}

/* GB18030 unless the text reads far better as Big5. */
static const char *legacy_choice(const char *s, size_t n)
{
	struct legacy_fit f;
	legacy_fit(s, n, 0, &f);
	return f.big5 > f.gb + 0.1 ? "BIG5" : "GB18030";
}

const char *detect_legacy(const char *s, size_t n)
{
	struct legacy_fit f;
	legacy_fit(s, n, 1, &f);
	if (f.cjk < LEGACY_MIN_CJK)
		return NULL;
	return f.big5 > f.gb + 0.1 ? "BIG5" : f.gb > f.big5 + 0.1 ? "GB18030" : NULL;
}

static const char *bom_of(const char *s, size_t n, size_t *len)
{
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return *len = 3, "UTF-8";
	if (n >= 2 && memcmp(s, "\xFF\xFE", 2) == 0)
		return *len = 2, "UTF-16LE";
	if (n >= 2 && memcmp(s, "\xFE\xFF", 2) == 0)
		return *len = 2, "UTF-16BE";
	return *len = 0, NULL;
}

static int is_control(unsigned c)
{
	return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v';
}

/*
 * Text has few control characters; binary data has many. They are counted
 * in the file's own code units (bytes, or 16-bit units for UTF-16), so the
 * position reported is a byte of the file.
 */
static int looks_binary(const char *s, size_t n, const struct decoded *d, size_t *at)
{
	size_t bad = 0, first = 0;
	int utf16 = strncmp(d->encoding, "UTF-16", 6) == 0;
	int big_endian = utf16 && strcmp(d->encoding, "UTF-16BE") == 0;
	size_t unit = utf16 ? 2 : 1;
	for (size_t i = d->has_bom ? (utf16 ? 2 : 3) : 0; i + unit <= n; i += unit) {
		unsigned c = (unsigned char)s[i];
		if (utf16)
			c = big_endian ? c << 8 | (unsigned char)s[i + 1]
				       : c | (unsigned)(unsigned char)s[i + 1] << 8;
		if (is_control(c) && bad++ == 0)
			first = i;
	}
	size_t weight = bad + d->invalid;
	if (weight <= 8 || weight * 10 < n / unit / 3)
		return 0;
	*at = d->invalid && (bad == 0 || d->first_invalid < first) ? d->first_invalid : first;
	return 1;
}

static int has_text(const struct decoded *d)
{
	uint32_t c;
	const char *t = buf_str(&d->text);
	for (size_t i = 0; i < d->text.len;) {
		size_t len = utf8_decode(t + i, d->text.len - i, &c);
		if (len && c > ' ' && c != 0xFEFF && c != 0xFFFD && c != 0x3000 && c != 0xA0)
			return 1;
		i += len ? len : 1;
	}
	return 0;
}

/* The encoding detection reads s in; *bom the bytes of its byte order mark. */
static const char *choose(const char *s, size_t n, size_t *bom)
{
	const char *enc = bom_of(s, n, bom);
	if (!enc)
		enc = utf16_guess(s, n);
	if (!enc) {
		size_t good, bad;
		utf8_census(s, n, &good, &bad);
		if (bad == 0 ||
		    good >= 3 * bad) /* GB18030 read as UTF-8 has next to no good sequence */
			enc = "UTF-8";
	}
	if (!enc)
		enc = utf16_by_content(s, n);
	return enc ? enc : legacy_choice(s, n);
}

/*
 * Chooses the encoding (or takes the one forced) and converts into d, or
 * with keep 0 only counts what would be replaced.
 */
static int choose_and_convert(const char *s, size_t n, const char *force, struct decoded *d,
			      int keep, struct buf *why)
{
	size_t bom = 0;
	const char *enc = force ? force : choose(s, n, &bom);
	d->has_bom = bom > 0;
	d->encoding = enc;
	if (!keep) {
		size_t first = 0;
		d->invalid = strcmp(enc, "UTF-8") == 0
				     ? utf8_invalid(s + bom, n - bom, &first)
				     : iconv_invalid(enc, s + bom, n - bom, &first);
		d->first_invalid = first + bom;
		if (d->invalid == (size_t)-1) {
			d->invalid = d->first_invalid = 0;
			buf_printf(why, "unknown encoding '%s' (see iconv -l)", enc);
			return -1;
		}
		if (!d->invalid)
			d->first_invalid = 0;
		return 0;
	}
	if (strcmp(enc, "UTF-8") == 0) {
		copy_utf8(s + bom, n - bom, bom, d);
		return 0;
	}
	if (convert(enc, s + bom, n - bom, bom, d) < 0) {
		buf_printf(why, "unknown encoding '%s' (see iconv -l)", enc);
		return -1;
	}
	return 0;
}

const char *detect_encoding(const char *s, size_t n)
{
	size_t bom;
	return n ? choose(s, n, &bom) : "UTF-8";
}

size_t detect_invalid(const char *s, size_t n, const char *enc, size_t *first)
{
	size_t bom = 0, at = 0, bad;
	const char *mark = bom_of(s, n, &bom);
	if (!mark || strcmp(mark, enc) != 0)
		bom = 0;
	if (strcmp(enc, "UTF-8") == 0)
		bad = utf8_invalid(s + bom, n - bom, &at);
	else
		bad = iconv_invalid(enc, s + bom, n - bom, &at);
	if (first)
		*first = bad && bad != (size_t)-1 ? at + bom : 0;
	return bad;
}

static int decode(const char *s, size_t n, const char *force, struct decoded *d, int keep,
		  struct buf *why)
{
	memset(d, 0, sizeof *d);
	const char *what;
	if (n == 0) {
		buf_adds(why, "empty file");
		return -1;
	}
	if (!force && (what = magic_of(s, n))) {
		buf_printf(why, "not a text notice: %s", what);
		return -1;
	}
	if (choose_and_convert(s, n, force, d, keep, why) < 0)
		return -1;
	size_t at;
	if (looks_binary(s, n, d, &at)) {
		buf_printf(why,
			   "not a text notice: binary data at byte %zu (if it is text, name its "
			   "encoding with --from)",
			   at);
		return -1;
	}
	if (keep && !has_text(d)) {
		buf_adds(why, "no text in the notice");
		return -1;
	}
	return 0;
}

int detect_decode(const char *s, size_t n, const char *force, struct decoded *d, struct buf *why)
{
	return decode(s, n, force, d, 1, why);
}

int detect_check(const char *s, size_t n, const char *force, struct decoded *d, struct buf *why)
{
	return decode(s, n, force, d, 0, why);
}

void detect_append(const char *s, size_t n, size_t base, const char *enc, struct decoded *d)
{
	if (strcmp(enc, "UTF-8") == 0)
		copy_utf8(s, n, base, d);
	else if (convert(enc, s, n, base, d) < 0)
		buf_adds(&d->text, UTF8_REPLACEMENT);
}

void decoded_free(struct decoded *d) { buf_free(&d->text); }

void detect_name(struct buf *out, const char *name)
{
	size_t n = strlen(name);
	if (utf8_valid(name, n, NULL)) {
		buf_add(out, name, n);
		return;
	}
	struct decoded d = {0};
	if (convert("GB18030", name, n, 0, &d) == 0 && d.invalid == 0)
		utf8_scrub(out, buf_str(&d.text));
	else
		utf8_scrub(out, name);
	decoded_free(&d);
}
