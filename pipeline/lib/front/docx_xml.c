/*
 * docx_xml.c - the words of WordprocessingML the .docx reader knows: what
 * an element is by its namespace and local name, and its attributes as
 * SAX2 gives them.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "front/docx_impl.h"
#include "stream/err.h"

static const char *const W_NS[] = {
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
	"http://purl.oclc.org/ooxml/wordprocessingml/main",
	NULL,
};
static const char MC_NS[] = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/* ---- element names ---- */

// clang-format off (a packed table)
static struct w_name {
	const char *name;
	enum el el;
} W_NAMES[] = {
	{"abstractNum", E_ABSTRACTNUM},
	{"abstractNumId", E_ABSTRACTNUMID},
	{"basedOn", E_BASEDON},
	{"bdo", E_BDO},
	{"body", E_BODY},
	{"br", E_BR},
	{"cr", E_CR},
	{"customXml", E_CUSTOMXML},
	{"dir", E_DIR},
	{"document", E_DOCUMENT},
	{"drawing", E_DRAWING},
	{"fldSimple", E_FLDSIMPLE},
	{"gridBefore", E_GRIDBEFORE},
	{"gridSpan", E_GRIDSPAN},
	{"hyperlink", E_HYPERLINK},
	{"ilvl", E_ILVL},
	{"ins", E_INS},
	{"isLgl", E_ISLGL},
	{"lvl", E_LVL},
	{"lvlOverride", E_LVLOVERRIDE},
	{"lvlRestart", E_LVLRESTART},
	{"lvlText", E_LVLTEXT},
	{"moveTo", E_MOVETO},
	{"noBreakHyphen", E_NOBREAKHYPHEN},
	{"num", E_NUM},
	{"numFmt", E_NUMFMT},
	{"numId", E_NUMID},
	{"numPr", E_NUMPR},
	{"numStyleLink", E_NUMSTYLELINK},
	{"object", E_OBJECT},
	{"p", E_P},
	{"pPr", E_PPR},
	{"pStyle", E_PSTYLE},
	{"pict", E_PICT},
	{"ptab", E_PTAB},
	{"r", E_R},
	{"rPr", E_RPR},
	{"ruby", E_RUBY},
	{"rubyBase", E_RUBYBASE},
	{"sdt", E_SDT},
	{"sdtContent", E_SDTCONTENT},
	{"smartTag", E_SMARTTAG},
	{"start", E_START},
	{"startOverride", E_STARTOVERRIDE},
	{"style", E_STYLE},
	{"suff", E_SUFF},
	{"t", E_T},
	{"tab", E_TAB},
	{"tbl", E_TBL},
	{"tc", E_TC},
	{"tcPr", E_TCPR},
	{"tr", E_TR},
	{"trPr", E_TRPR},
	{"txbxContent", E_TXBXCONTENT},
	{"vMerge", E_VMERGE},
	{"vanish", E_VANISH},
};
// clang-format on

static int w_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct w_name *)a)->name, ((const struct w_name *)b)->name);
}

static int is_w_ns(const xmlChar *uri)
{
	for (size_t i = 0; uri && W_NS[i]; i++)
		if (strcmp((const char *)uri, W_NS[i]) == 0)
			return 1;
	return 0;
}

/* What an element is, by its namespace and local name. */
enum el docx_el_of(const xmlChar *name, const xmlChar *uri)
{
	static int sorted;
	if (!sorted) {
		qsort(W_NAMES, sizeof W_NAMES / sizeof *W_NAMES, sizeof *W_NAMES, w_name_cmp);
		sorted = 1;
	}
	if (is_w_ns(uri)) {
		struct w_name key = {(const char *)name, E_OTHER};
		const struct w_name *w = bsearch(&key, W_NAMES, sizeof W_NAMES / sizeof *W_NAMES,
						 sizeof *W_NAMES, w_name_cmp);
		return w ? w->el : E_OTHER;
	}
	if (uri && strcmp((const char *)uri, MC_NS) == 0) {
		if (strcmp((const char *)name, "AlternateContent") == 0)
			return E_ALTERNATE;
		if (strcmp((const char *)name, "Choice") == 0)
			return E_CHOICE;
		if (strcmp((const char *)name, "Fallback") == 0)
			return E_FALLBACK;
	}
	return E_OTHER;
}

/* ---- attributes as SAX2 gives them: name, prefix, URI, value, end ---- */

/*
 * Attribute w:NAME (or NAME without a namespace): 1 with its value, else
 * 0. An attribute whose prefix is bound to no namespace is named
 * "prefix:NAME", as in a tree: it is not NAME.
 */
int docx_attr(const struct attrs *at, const char *name, const char **v, size_t *len)
{
	for (int i = 0; i < at->n; i++) {
		const xmlChar **a = at->a + 5 * i;
		if (strcmp((const char *)a[0], name) != 0 || (a[2] && !is_w_ns(a[2])) ||
		    (a[1] && !a[2]))
			continue;
		*v = (const char *)a[3];
		*len = (size_t)(a[4] - a[3]);
		return 1;
	}
	return 0;
}

/* The attribute's value as a string the caller frees, or NULL. */
char *docx_attr_dup(const struct attrs *at, const char *name)
{
	const char *v;
	size_t len;
	return docx_attr(at, name, &v, &len) ? nm_xstrndup(v, len) : NULL;
}

int docx_has_attr(const struct attrs *at, const char *name)
{
	const char *v;
	size_t len;
	return docx_attr(at, name, &v, &len);
}

int docx_attr_is(const struct attrs *at, const char *name, const char *want)
{
	const char *v;
	size_t len;
	return docx_attr(at, name, &v, &len) && len == strlen(want) && memcmp(v, want, len) == 0;
}

static long to_long(const char *s, long dflt)
{
	if (!s || !*s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	return *end ? dflt : v;
}

/* The attribute as a number: dflt when absent or not a number. */
long docx_attr_long(const struct attrs *at, const char *name, long dflt)
{
	char *s = docx_attr_dup(at, name);
	long v = to_long(s, dflt);
	free(s);
	return v;
}

/* An on/off property: w:val absent, or not 0/false/off. */
int docx_attr_on(const struct attrs *at)
{
	const char *v;
	size_t len;
	if (!docx_attr(at, "val", &v, &len))
		return 1;
	return !((len == 1 && *v == '0') || (len == 5 && memcmp(v, "false", 5) == 0) ||
		 (len == 3 && memcmp(v, "off", 3) == 0));
}
