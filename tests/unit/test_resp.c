/* test_resp.c - reading responsibility markings (lib/notice/resp.c), with
 * the shipped rules: every form a notice writes, and what must not read as one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "notice/resp.h"

static struct rules rs;

static int setup(void **state)
{
	struct buf err = BUF_INIT;
	int problems = rules_load(&rs, "rules", &err);
	if (problems)
		print_error("rules: %s", buf_str(&err));
	buf_free(&err);
	static struct resp R;
	resp_init(&R, &rs);
	*state = &R;
	return problems ? -1 : 0;
}

static int teardown(void **state)
{
	resp_free(*state);
	rules_free(&rs);
	return 0;
}

struct got {
	enum resp_found found;
	char *lead, *coop, *leaders, *deadlines, *cut;
};

/* Reads text's markings as the extract stage does (roles settled). */
static struct got read(void **state, const char *text)
{
	struct resp *R = *state;
	struct ntext t = NTEXT_INIT;
	struct roles r = {0};
	struct cuts c = {.n = 0};
	ntext_set(&t, text, strlen(text));
	struct got g;
	g.found = resp_scan(R, &t, 0, t.norm.len, &r, &c);
	roles_resolve(R, &r);
	g.lead = strlist_join(&r.lead, "|");
	g.coop = strlist_join(&r.coop, "|");
	g.leaders = strlist_join(&r.leaders, "|");
	g.deadlines = strlist_join(&r.deadlines, "|");
	struct buf cut = BUF_INIT;
	for (size_t k = 0; k < c.n; k++) {
		if (k)
			buf_addc(&cut, '|');
		ntext_orig(&t, c.a[k], c.b[k], &cut);
	}
	g.cut = cut.s ? cut.s : strdup("");
	roles_free(&r);
	ntext_free(&t);
	return g;
}

static void got_free(struct got *g)
{
	free(g->lead), free(g->coop), free(g->leaders), free(g->deadlines), free(g->cut);
}

/* text's marking leads lead and co-operates coop (units joined with |). */
static void assert_roles(void **state, const char *text, const char *lead, const char *coop)
{
	struct got g = read(state, text);
	if (strcmp(g.lead, lead) != 0 || strcmp(g.coop, coop) != 0)
		fail_msg("%s\n  lead [%s] want [%s]\n  coop [%s] want [%s]", text, g.lead, lead,
			 g.coop, coop);
	got_free(&g);
}

static void test_bracket_with_lead_and_coop_words(void **state)
{
	assert_roles(state, "推进教育现代化。（市教育局牵头，市财政局、市人社局配合）", "市教育局",
		     "市财政局|市人社局");
}

/* The leader by his title in the bracket beside the units. */
static void test_leader_by_title_beside_the_units(void **state)
{
	struct got g = read(state, "加快发展。（市长吴振邦，市发改委牵头）");
	assert_string_equal(g.lead, "市发改委");
	assert_string_equal(g.leaders, "市长吴振邦");
	got_free(&g);
	g = read(state, "加快发展。（副市长姜岚；市工信局牵头，市发改委配合）");
	assert_string_equal(g.lead, "市工信局");
	assert_string_equal(g.coop, "市发改委");
	assert_string_equal(g.leaders, "副市长姜岚");
	got_free(&g);
}

/* Words of other notices: 参加 co-operates; 督办单位 names who checks, no
 * one responsible; 负责 beside a unit that leads carries it out with it;
 * names set apart by spaces; 包村领导. */
static void test_more_words_of_roles(void **state)
{
	struct got g = read(state, "争取中央投资（省发展改革委牵头，省财政厅、省经委参加）。");
	assert_string_equal(g.lead, "省发展改革委");
	assert_string_equal(g.coop, "省财政厅|省经委");
	got_free(&g);
	g = read(state, "推进工作（牵头单位：市发改委；督办单位：市政府督查室）");
	assert_string_equal(g.lead, "市发改委");
	assert_string_equal(g.coop, "");
	got_free(&g);
	g = read(state, "推进工作（市住建局牵头，各区人民政府负责）");
	assert_string_equal(g.lead, "市住建局");
	assert_string_equal(g.coop, "各区人民政府");
	got_free(&g);
	g = read(state, "加快发展。（省科技厅、发展改革委、经贸委）");
	assert_string_equal(g.lead, "省科技厅|发展改革委|经贸委"); /* 经贸委: 经 starts it */
	got_free(&g);
	g = read(state, "推进工作（责任单位：市水利局、市林业局牵头，市国土资源局配合）");
	assert_string_equal(g.lead, "市水利局|市林业局"); /* 牵头 after names joined by 、 */
	assert_string_equal(g.coop, "市国土资源局");
	got_free(&g);
	g = read(state, "推进工作（责任单位：市水利局、市林业局（牵头））");
	assert_string_equal(g.lead, "市林业局"); /* a bracketed (牵头) is its name's only */
	got_free(&g);
	g = read(state, "由省经贸委负责，省农业厅、环保局配合，加快基地建设。");
	assert_string_equal(g.lead, "省经贸委");
	assert_string_equal(g.coop, "省农业厅|环保局"); /* the clause after the opening one */
	assert_string_equal(g.cut, "由省经贸委负责，省农业厅、环保局配合，");
	got_free(&g);
	g = read(state,
		 "推进工作。（责任单位：市财政局（第一责任单位为牵头单位，下同）、市税务局）");
	assert_string_equal(g.lead, "市财政局"); /* the note after the name is no part of it */
	assert_string_equal(g.coop, "市税务局");
	assert_true(((struct resp *)*state)->first_leads); /* and what it says holds */
	((struct resp *)*state)->first_leads = 0; /* (for the next notice: the next case) */
	got_free(&g);
	g = read(state, "推进工作（责任单位：县住建局 县发改局）");
	assert_string_equal(g.lead, "县住建局|县发改局");
	got_free(&g);
	g = read(state, "加大力度。（牵头单位：州政务局；责任单位：州司法局，6月底完成）");
	assert_string_equal(g.coop, "州司法局");
	assert_string_equal(g.deadlines, "6月底完成");
	got_free(&g);
	g = read(state, "郑怀远省长负责的工作");
	assert_string_equal(g.leaders, "郑怀远");
	got_free(&g);
	g = read(state, "稳增长。（严斌副市长，市发改委牵头）");
	assert_string_equal(g.leaders, "严斌");
	got_free(&g);
	g = read(state, "推进工作。（包村领导：张伟；责任单位：镇农办）");
	assert_string_equal(g.leaders, "张伟");
	assert_string_equal(g.lead, "镇农办");
	got_free(&g);
}

static void test_lead_named_after_the_co_operators(void **state)
{
	assert_roles(state, "（县自然资源局、县城管局配合，县住建局牵头）", "县住建局",
		     "县自然资源局|县城管局");
}

static void test_labels_in_a_bracket_and_a_second_bracket_with_the_deadline(void **state)
{
	struct got g = read(
		state,
		"加快建设。（牵头单位：市发改委；配合单位：市财政局）（完成时限：2023年12月底前）");
	assert_string_equal(g.lead, "市发改委");
	assert_string_equal(g.coop, "市财政局");
	assert_string_equal(g.deadlines, "2023年12月底前");
	assert_string_equal(
		g.cut, "（牵头单位：市发改委；配合单位：市财政局）|（完成时限：2023年12月底前）");
	got_free(&g);
}

static void test_labels_in_their_own_brackets_on_one_line(void **state)
{
	struct got g = read(
		state,
		"【牵头单位】市医疗保障局　【配合单位】市卫生健康委　【完成时限】2023年6月底前");
	assert_string_equal(g.lead, "市医疗保障局");
	assert_string_equal(g.coop, "市卫生健康委");
	assert_string_equal(g.deadlines, "2023年6月底前");
	got_free(&g);
}

static void test_sentence_forms(void **state)
{
	assert_roles(state, "此项工作由市城市管理局牵头，各区人民政府配合。", "市城市管理局",
		     "各区人民政府");
	assert_roles(state, "由市商务局负责，2023年10月底前完成。", "市商务局", "");
	assert_roles(state, "由市文化广电旅游局牵头，会同市商务局、市财政局组织实施。",
		     "市文化广电旅游局", "市商务局|市财政局");
	assert_roles(state, "此项工作由市商务局、市文化广电旅游局共同牵头，市公安局配合。",
		     "市商务局|市文化广电旅游局", "市公安局");
	assert_roles(state, "市卫生健康委牵头负责。", "市卫生健康委", "");
	assert_roles(state, "部门分工：市发展改革委牵头，各县区、各部门配合。", "市发展改革委",
		     "各县区|各部门");
	assert_roles(state, "（县住建局会同县财政局、各街道办事处负责，完成时限：2026年）",
		     "县住建局", "县财政局|各街道办事处");
}

static void test_a_marking_sentence_is_cut_whole_with_its_deadline(void **state)
{
	struct got g = read(
		state,
		"全年完成整治120条。此项工作由市园林绿化局牵头，各区人民政府配合，2023年11月底前完成。");
	assert_int_equal(g.found, RESP_MARKING);
	assert_string_equal(g.cut,
			    "此项工作由市园林绿化局牵头，各区人民政府配合，2023年11月底前完成。");
	assert_string_equal(g.deadlines, "2023年11月底前");
	got_free(&g);
}

static void test_deadline_words_are_not_units(void **state)
{
	struct got g = read(state, "（各区人民政府分别负责，年内持续推进）");
	assert_string_equal(g.lead, "各区人民政府");
	assert_string_equal(g.coop, "");
	assert_string_equal(g.deadlines, "年内");
	got_free(&g);
}

static void test_a_name_with_its_own_brackets_is_read_whole(void **state)
{
	assert_roles(state, "（市水利局牵头，各县（市、区）人民政府配合）", "市水利局",
		     "各县（市、区）人民政府");
}

static void test_by_duty_lists_co_operate(void **state)
{
	assert_roles(state, "（市发改委牵头，市财政局、市自然资源局按职责分工负责）", "市发改委",
		     "市财政局|市自然资源局");
}

static void test_a_lone_list_leads_entirely_unless_the_first_is_said_to(void **state)
{
	struct resp *R = *state;
	assert_roles(state, "责任单位：市交通局、市公安局、各区人民政府",
		     "市交通局|市公安局|各区人民政府", "");
	assert_roles(state, "（A局、B局等负责）", "A局|B局", "");
	/* a notice that says the first-listed unit leads */
	struct got g = read(state, "责任单位中排在第一位的为牵头单位。");
	got_free(&g);
	assert_true(R->first_leads);
	assert_roles(state, "责任单位：市交通局、市公安局、各区人民政府", "市交通局",
		     "市公安局|各区人民政府");
	R->first_leads = 0;
}

static void test_a_unit_marked_as_lead_inside_a_list(void **state)
{
	assert_roles(state, "责任单位：市住建局（牵头）、市城管局", "市住建局", "市城管局");
}

static void test_the_resp_label_beside_a_lead_label_lists_co_operators(void **state)
{
	assert_roles(state, "牵头单位：区发展和改革局 责任单位：区统计局、各街道办事处",
		     "区发展和改革局", "区统计局|各街道办事处");
	assert_roles(state, "（责任单位：区城市管理局；配合单位：各街道办事处）", "区城市管理局",
		     "各街道办事处");
}

static void test_labels_known_by_their_shape(void **state)
{
	/* neither 负责单位 nor 参与部门 need be listed: their key words say the role */
	assert_roles(state, "（负责单位：市住建局；参与部门：市城管局、市数据局）", "市住建局",
		     "市城管局|市数据局");
	struct got g = read(state, "牵头负责领导：金力。");
	assert_string_equal(g.leaders, "金力");
	got_free(&g);
}

static void test_a_marking_before_the_text_closed_by_a_colon(void **state)
{
	struct got g = read(state, "区应急局牵头、区消防救援大队配合：开展电力设施防汛检查。");
	assert_string_equal(g.lead, "区应急局");
	assert_string_equal(g.coop, "区消防救援大队");
	assert_string_equal(g.cut, "区应急局牵头、区消防救援大队配合：");
	got_free(&g);
}

static void test_leader_names_lose_spaces_and_notes(void **state)
{
	struct got g = read(state, "牵头领导：马 杰、李明（副县长）");
	assert_string_equal(g.leaders, "马杰|李明");
	got_free(&g);
}

static void test_titles_before_a_named_leader_are_one_person(void **state)
{
	struct got g = read(state, "责任领导：党组书记、局长 韩立群");
	assert_string_equal(g.leaders, "党组书记、局长韩立群");
	got_free(&g);
	g = read(state, "牵头领导：县委书记、县长");
	assert_string_equal(g.leaders, "县委书记|县长");
	got_free(&g);
}

static void test_bars_between_labels(void **state)
{
	struct got g = read(
		state,
		"〔牵头领导：周立新｜牵头单位：市发改委｜配合单位：各县（市、区）人民政府｜时限：2024年12月底前〕");
	assert_string_equal(g.leaders, "周立新");
	assert_string_equal(g.lead, "市发改委");
	assert_string_equal(g.coop, "各县（市、区）人民政府");
	got_free(&g);
}

static void test_role_words_alone_as_labels_with_slashes_between(void **state)
{
	struct got g = read(
		state,
		"推进老旧街区改造，年内完成12条。主责：区住建局／协同：区城管局、各街道办事处");
	assert_string_equal(g.lead, "区住建局");
	assert_string_equal(g.coop, "区城管局|各街道办事处");
	got_free(&g);
	g = read(state, "主办：县商务局/协办：县市场监管局");
	assert_string_equal(g.lead, "县商务局");
	assert_string_equal(g.coop, "县市场监管局");
	got_free(&g);
}

/* 责任： alone as a label; a label by its shape that begins with a label
 * word (配合处室：); a name followed by 按职责分工负责 in a list. */
static void test_labels_that_begin_with_a_role_word(void **state)
{
	struct got g = read(state, "（牵头：区经济发展局；责任：区投资促进局、区科技局）");
	assert_string_equal(g.lead, "区经济发展局");
	assert_string_equal(g.coop, "区投资促进局|区科技局");
	got_free(&g);
	g = read(state, "（责任处室：医政医管处；配合处室：规划信息处、财务处）");
	assert_string_equal(g.lead, "医政医管处");
	assert_string_equal(g.coop, "规划信息处|财务处");
	got_free(&g);
	g = read(state, "（牵头：市医保局；参与：市卫生健康委，各区县人民政府按职责分工负责）");
	assert_string_equal(g.coop, "市卫生健康委|各区县人民政府");
	got_free(&g);
	/* 责任 glued to a name is no label */
	g = read(state, "责任处室：办公室");
	assert_string_equal(g.lead, "办公室");
	got_free(&g);
}

/* A list of duties: each line a unit, a colon, what it does. */
static void test_a_duty_line_names_its_unit_before_the_colon(void **state)
{
	struct got g = read(state, "县林业局：负责林区防火巡护，组织开展火险隐患排查。");
	assert_string_equal(g.lead, "县林业局");
	assert_string_equal(g.cut, "县林业局：");
	got_free(&g);
	g = read(state, "县教育局、县卫生健康局：按照各自职责做好校园传染病防控工作。");
	assert_string_equal(g.lead, "县教育局|县卫生健康局");
	got_free(&g);
	/* a label before the colon is a label, not a unit */
	g = read(state, "责任单位：县林业局（牵头）、各乡镇人民政府");
	assert_string_equal(g.lead, "县林业局");
	assert_string_equal(g.coop, "各乡镇人民政府");
	got_free(&g);
	/* what is no unit before a colon is no duty line */
	g = read(state, "工作目标：到2025年，全县森林覆盖率达到65%。");
	assert_int_not_equal(g.found, RESP_MARKING);
	got_free(&g);
}

static void test_a_marking_that_opens_the_text_with_you(void **state)
{
	struct got g = read(state, "由镇农业服务中心负责的高标准农田建设项目，新建农田1200亩。");
	assert_string_equal(g.lead, "镇农业服务中心");
	assert_string_equal(g.cut, "由镇农业服务中心负责的");
	got_free(&g);
	g = read(state, "由县政府负责统筹协调，各部门抓好落实。");
	assert_int_not_equal(g.found, RESP_MARKING);
	got_free(&g);
}

static void test_a_leader_named_by_title_and_a_marking_opening_a_sentence(void **state)
{
	struct got g = read(state,
			    "由市政府副市长 王振东牵头，市住房城乡建设局会同市城投集团负责。");
	assert_string_equal(g.leaders, "市政府副市长王振东");
	assert_string_equal(g.lead, "市住房城乡建设局");
	assert_string_equal(g.coop, "市城投集团");
	got_free(&g);
	/* the preposition alone says the role */
	g = read(state, "交由县公安局交警大队、县教育局共同办理，2024年5月31日前办结。");
	assert_string_equal(g.lead, "县公安局交警大队|县教育局");
	got_free(&g);
	g = read(state, "由县财政局组织实施。");
	assert_string_equal(g.lead, "县财政局");
	got_free(&g);
	g = read(state, "由市城市管理局负责，对人行道违规停车开展常态化整治。");
	assert_string_equal(g.lead, "市城市管理局");
	assert_string_equal(g.cut, "由市城市管理局负责，");
	got_free(&g);
}

/* What must not read as a marking. */
static void test_text_that_is_no_marking(void **state)
{
	static const char *const NONE[] = {
		"各牵头单位要加强统筹，细化工作举措。",
		"实施煤改电（气）项目建设。",
		"发展特色产业（重点是牵头企业带动）。",
		"由市政府分管负责同志任召集人，统筹推进各项任务。",
		"各区人民政府对本地区食品安全工作负总责。",
		"为每位顶尖人才和团队负责人配备服务专员。",
	};
	for (size_t i = 0; i < sizeof NONE / sizeof *NONE; i++) {
		struct got g = read(state, NONE[i]);
		if (g.found == RESP_MARKING)
			fail_msg("read as a marking: %s (lead [%s])", NONE[i], g.lead);
		got_free(&g);
	}
}

static void test_a_sentence_with_a_unit_as_subject_is_kept_as_content(void **state)
{
	struct got g = read(state, "市财政局负责落实配套资金，确保足额到位。");
	assert_int_equal(g.found, RESP_SENTENCE);
	assert_string_equal(g.cut, "");
	got_free(&g);
}

static void test_unit_shapes(void **state)
{
	struct resp *R = *state;
	static const char *const UNITS[] = {
		"市发展和改革委员会",
		"各县（市、区）人民政府",
		"人民银行云溪市中心支行",
		"市公安局交警支队",
		"南屏车务段",
		"国网云峤供电公司",
		"霁川高新区管委会",
		"临渊大学",
		"基础教育股",
	};
	static const char *const NOT_UNITS[] = {
		"为每位顶尖人才和团队",
		"市财政局、市审计局",
		"加强统筹协调",
		"2023年底前完成",
		"局",
	};
	for (size_t i = 0; i < sizeof UNITS / sizeof *UNITS; i++) {
		struct ntext t = NTEXT_INIT;
		ntext_set(&t, UNITS[i], strlen(UNITS[i]));
		if (!resp_is_unit(R, t.norm.s, t.norm.len))
			fail_msg("not read as a unit: %s", UNITS[i]);
		ntext_free(&t);
	}
	for (size_t i = 0; i < sizeof NOT_UNITS / sizeof *NOT_UNITS; i++) {
		struct ntext t = NTEXT_INIT;
		ntext_set(&t, NOT_UNITS[i], strlen(NOT_UNITS[i]));
		if (resp_is_unit(R, t.norm.s, t.norm.len))
			fail_msg("read as a unit: %s", NOT_UNITS[i]);
		ntext_free(&t);
	}
}

static void test_he_splits_only_between_whole_names(void **state)
{
	assert_roles(state, "（市财政局和市审计局牵头）", "市财政局|市审计局", "");
	assert_roles(state, "（市人力资源和社会保障局牵头）", "市人力资源和社会保障局", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bracket_with_lead_and_coop_words),
		cmocka_unit_test(test_lead_named_after_the_co_operators),
		cmocka_unit_test(test_leader_by_title_beside_the_units),
		cmocka_unit_test(test_more_words_of_roles),
		cmocka_unit_test(test_labels_in_a_bracket_and_a_second_bracket_with_the_deadline),
		cmocka_unit_test(test_labels_in_their_own_brackets_on_one_line),
		cmocka_unit_test(test_sentence_forms),
		cmocka_unit_test(test_a_marking_sentence_is_cut_whole_with_its_deadline),
		cmocka_unit_test(test_deadline_words_are_not_units),
		cmocka_unit_test(test_a_name_with_its_own_brackets_is_read_whole),
		cmocka_unit_test(test_by_duty_lists_co_operate),
		cmocka_unit_test(test_a_lone_list_leads_entirely_unless_the_first_is_said_to),
		cmocka_unit_test(test_a_unit_marked_as_lead_inside_a_list),
		cmocka_unit_test(test_the_resp_label_beside_a_lead_label_lists_co_operators),
		cmocka_unit_test(test_labels_known_by_their_shape),
		cmocka_unit_test(test_a_marking_before_the_text_closed_by_a_colon),
		cmocka_unit_test(test_leader_names_lose_spaces_and_notes),
		cmocka_unit_test(test_bars_between_labels),
		cmocka_unit_test(test_text_that_is_no_marking),
		cmocka_unit_test(test_a_sentence_with_a_unit_as_subject_is_kept_as_content),
		cmocka_unit_test(test_unit_shapes),
		cmocka_unit_test(test_a_leader_named_by_title_and_a_marking_opening_a_sentence),
		cmocka_unit_test(test_labels_that_begin_with_a_role_word),
		cmocka_unit_test(test_a_marking_that_opens_the_text_with_you),
		cmocka_unit_test(test_titles_before_a_named_leader_are_one_person),
		cmocka_unit_test(test_role_words_alone_as_labels_with_slashes_between),
		cmocka_unit_test(test_a_duty_line_names_its_unit_before_the_colon),
		cmocka_unit_test(test_he_splits_only_between_whole_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
