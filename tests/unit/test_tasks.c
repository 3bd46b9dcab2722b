/* test_tasks.c - tasks of a notice (lib/notice/tasks.c): where a marking
 * belongs, what a heading passes down, unit names settled within a notice.
 * Each case runs the layout and the task logic on a small notice. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/layout.h"
#include "notice/tasks.h"

static struct rules rs;

static int setup(void **state)
{
	struct buf err = BUF_INIT;
	int problems = rules_load(&rs, "rules", &err);
	if (problems)
		print_error("rules: %s", buf_str(&err));
	buf_free(&err);
	(void)state;
	return problems ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	rules_free(&rs);
	return 0;
}

/* The task and finding records of a notice (its lines joined by \n). */
static char *tasks_of(const char *text)
{
	struct layout L;
	char *seg = NULL, *out = NULL;
	size_t nseg = 0, nout = 0;
	FILE *f = open_memstream(&seg, &nseg);
	layout_init(&L, &rs);
	long no = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		layout_add_line(&L, ++no, p, len);
		p += len + (e != NULL);
	}
	layout_write(&L, f);
	layout_free(&L);
	fclose(f);

	struct tasks T;
	struct rec r = REC_INIT;
	tasks_init(&T, &rs);
	FILE *in = fmemopen(seg, nseg, "r");
	FILE *o = open_memstream(&out, &nout);
	while (rec_read(&r, in) > 0)
		tasks_add(&T, &r);
	tasks_write(&T, o);
	fclose(in);
	fclose(o);
	rec_free(&r);
	tasks_free(&T);
	free(seg);
	/* Lists as the workbook shows them. */
	for (char *p = out; p && (p = strstr(p, "\\n"));)
		memcpy(p, "|", 1), memmove(p + 1, p + 2, strlen(p + 2) + 1);
	return out;
}

static void assert_has(const char *records, const char *want)
{
	if (!strstr(records, want))
		fail_msg("no \"%s\" in\n%s", want, records);
}

static void assert_lacks(const char *records, const char *unwanted)
{
	if (strstr(records, unwanted))
		fail_msg("\"%s\" in\n%s", unwanted, records);
}

static size_t count(const char *records, const char *what)
{
	size_t n = 0;
	for (const char *p = records; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Merged cells written once: 同上 in a cell, and empty cells where the
 * notice says they repeat the row above; otherwise an empty cell stays empty. */
/* A numbered item with its own marking and a paragraph after it with its
 * own: both are tasks (the item was once taken for a heading over it). */
static void test_an_item_and_the_paragraph_after_it_are_two_tasks(void **state)
{
	(void)state;
	char *r = tasks_of("一、重点任务\n1.推进甲工作。（市财政局牵头，市商务局配合）\n"
			   "2.推进乙工作。（市财政局牵头，市商务局配合）\n"
			   "另外推进丙工作。（市交通运输局牵头，市商务局配合）\n");
	assert_has(r, "task\t2\t1\t一、重点任务\t\t推进甲工作。\t\t市财政局\t市商务局\t");
	assert_has(r, "task\t3\t2\t一、重点任务\t\t推进乙工作。\t\t市财政局\t市商务局\t");
	assert_has(r, "task\t4\t3\t一、重点任务\t\t另外推进丙工作。\t\t市交通运输局\t市商务局\t");
	free(r);
}

/* Targets by unit: a unit's name alone on a line leads the numbered items
 * under it that name no one, up to the next such line. */
static void test_a_unit_alone_on_a_line_leads_the_items_under_it(void **state)
{
	(void)state;
	char *r = tasks_of(
		"凤溪县政府\n1.地区生产总值68亿元。\n2.财政收入8.5亿元。\n"
		"市发展改革委\n1.争取预算内投资4亿元。\n2.完成规划编制。（市统计局牵头）\n");
	assert_int_equal(count(r, "task\t"), 4);
	assert_has(r, "\t地区生产总值68亿元。\t\t凤溪县政府\t");
	assert_has(r, "\t财政收入8.5亿元。\t\t凤溪县政府\t");
	assert_has(r, "\t争取预算内投资4亿元。\t\t市发展改革委\t");
	assert_has(r, "\t完成规划编制。\t\t市统计局\t"); /* its own marking wins */
	assert_lacks(r, "财政收入8.5亿元。\\n市发展改革委");
	free(r);
}

/* A later section assigns the items of an earlier one by their labels. */
static void test_a_later_section_assigns_items_by_their_labels(void **state)
{
	(void)state;
	char *r = tasks_of(
		"一、实事内容\n第一件实事：新增城镇就业3.6万人。\n第二件实事：改造农村公路1500公里。\n"
		"二、工作分工\n第一件实事：责任单位市人社局，协办单位市财政局。\n"
		"第二件实事：责任单位市交通局，协办单位市财政局。\n");
	assert_int_equal(count(r, "task\t"), 2);
	assert_has(r, "\t一、实事内容\t\t新增城镇就业3.6万人。\t\t市人社局\t市财政局\t");
	assert_has(r, "\t一、实事内容\t\t改造农村公路1500公里。\t\t市交通局\t市财政局\t");
	free(r);
}

/* A 督办通知单: matters between rules across the page, each with its
 * fields; 反馈要求 names no one and says no deadline of the matter. */
static void test_matters_of_a_supervision_slip(void **state)
{
	(void)state;
	char *r = tasks_of(
		"——————————\n督办事项：清理老旧小区消防通道。\n承办单位：县住建局\n"
		"协办单位：县消防救援大队\n办结时限：2023年9月30日\n反馈要求：9月15日前报送进展\n"
		"——————————\n督办事项：修复县道水毁路段4.6公里。\n承办单位：县交通运输局\n"
		"办结时限：2023年10月31日\n");
	assert_int_equal(count(r, "task\t"), 2);
	assert_has(r, "\t清理老旧小区消防通道。\t\t县住建局\t县消防救援大队\t2023-09-30\t");
	assert_has(r, "\t修复县道水毁路段4.6公里。\t\t县交通运输局\t\t2023-10-31\t");
	free(r);
}

/* 一是…, 二是… on lines of their own: the number is no part of the text. */
static void test_yishi_paragraphs_lose_their_number(void **state)
{
	(void)state;
	char *r = tasks_of("（一）推进一网通办\n一是拓展网上办事深度。（牵头单位：县数据局）\n"
			   "二是推进电子证照应用。（牵头单位：县政务服务中心）\n");
	assert_has(r, "\t拓展网上办事深度。\t\t县数据局\t");
	assert_has(r, "\t推进电子证照应用。\t\t县政务服务中心\t");
	assert_lacks(r, "一是拓展");
	free(r);
}

/* A numbered item whose subject is a unit leading it; a unit's name over a
 * line or two that introduce its items. */
static void test_a_unit_as_the_subject_of_an_item(void **state)
{
	(void)state;
	char *r = tasks_of("一、职责分工\n1.县应急管理局负责危险化学品行业的隐患排查治理工作。\n"
			   "2.县公安局、县交通运输局负责道路交通隐患排查。\n");
	assert_has(r, "\t县应急管理局负责危险化学品行业的隐患排查治理工作。\t\t县应急管理局\t");
	assert_has(r, "\t县公安局、县交通运输局负责道路交通隐患排查。\t\t县公安局|县交通运输局\t");
	free(r);
	r = tasks_of("一、各单位责任清单\n江浦市市场监督管理局\n2024年度食品安全工作责任清单\n"
		     "2024年，市市场监管局要落实监管责任，主要承担以下工作：\n"
		     "4.完善事中事后监管。\n5.加强校园食品安全监管。\n");
	assert_has(r, "\t完善事中事后监管。\t\t江浦市市场监督管理局\t");
	assert_has(r, "\t加强校园食品安全监管。\t\t江浦市市场监督管理局\t");
	free(r);
}

static void test_cells_the_row_above_fills(void **state)
{
	(void)state;
	char *r = tasks_of("序号|项目名称|包抓领导|责任单位|建设时限\n"
			   "1|城南水厂扩建项目|副县长 吴楠|县水务局|2025年3月开工，2026年5月竣工\n"
			   "2|城北管网改造项目|||2025年10月竣工\n"
			   "3|老城区雨污分流工程|同上|县住建局|2025年11月竣工\n"
			   "注：包抓领导、责任单位栏空白的，同上一项目。\n");
	assert_has(r, "\t1\t\t\t城南水厂扩建项目\t副县长吴楠\t县水务局\t\t2026-05-31\t");
	assert_has(r, "\t2\t\t\t城北管网改造项目\t副县长吴楠\t县水务局\t\t2025-10-31\t");
	assert_has(r, "\t3\t\t\t老城区雨污分流工程\t副县长吴楠\t县住建局\t");
	free(r);
	/* without the note: the leader written once for the rows it leads,
	 * within its group; an empty unit cell stays empty */
	r = tasks_of("序号|项目名称|包抓领导|责任单位|建设时限\n"
		     "一、水务\n"
		     "1|城南水厂扩建项目|副县长 吴楠|县水务局|2026年5月\n"
		     "2|城北管网改造项目||县住建局|2025年10月\n"
		     "3|东湖补水工程|||2025年12月\n"
		     "二、交通\n"
		     "4|城西公交场站建设||县交通运输局|2025年9月\n");
	assert_has(r, "\t城北管网改造项目\t副县长吴楠\t县住建局\t");
	assert_has(r, "\t东湖补水工程\t副县长吴楠\t\t");
	assert_has(r, "\t城西公交场站建设\t\t县交通运输局\t");
	free(r);
}

/* A section headed by the unit that leads it, its count beside. */
static void test_a_heading_that_names_its_lead_unit(void **state)
{
	(void)state;
	char *r = tasks_of("一、县农业农村局牵头工作（2项）\n"
			   "1.新建高标准农田1.2万亩。\n"
			   "2.培育家庭农场30家。\n"
			   "二、县商务局负责事项（1项）\n"
			   "3.新建乡镇商贸中心2个。\n");
	assert_int_equal(count(r, "task\t"), 3);
	assert_has(
		r,
		"\t1\t一、县农业农村局牵头工作（2项）\t\t新建高标准农田1.2万亩。\t\t县农业农村局\t");
	assert_has(r, "\t3\t二、县商务局负责事项（1项）\t\t新建乡镇商贸中心2个。\t\t县商务局\t");
	free(r);
}

/* "以上任务由X牵头，Y配合。" closing a section: each item above it in the
 * section without a marking of its own. */
static void test_a_marking_for_all_the_items_above(void **state)
{
	(void)state;
	char *r = tasks_of("一、改善人居环境\n"
			   "1.改造老旧小区15个。\n"
			   "2.新建口袋公园6个。（区园林中心负责）\n"
			   "3.整治背街小巷20条。\n"
			   "以上任务由区住建局牵头，各街道配合。\n"
			   "二、提升公共服务\n"
			   "4.新建托育机构2家。\n");
	assert_has(r, "\t改造老旧小区15个。\t\t区住建局\t各街道\t");
	assert_has(r, "\t新建口袋公园6个。\t\t区园林中心\t\t");
	assert_has(r, "\t整治背街小巷20条。\t\t区住建局\t各街道\t");
	assert_lacks(r, "新建托育机构2家。\t\t区住建局");
	free(r);
}

/* Each item's fields written on the line above it. */
static void test_fields_above_each_item(void **state)
{
	(void)state;
	char *r = tasks_of("一、稳定就业\n"
			   "【牵头单位】县人社局　【配合单位】县财政局\n"
			   "1.开发公益性岗位300个。\n"
			   "【牵头单位】县农业农村局\n"
			   "2.培训高素质农民500人。\n"
			   "二、兜牢底线\n"
			   "牵头单位：县民政局\n"
			   "3.提高城乡低保标准。\n"
			   "4.完善临时救助制度。\n");
	assert_has(r, "\t开发公益性岗位300个。\t\t县人社局\t县财政局\t");
	assert_has(r, "\t培训高素质农民500人。\t\t县农业农村局\t\t");
	/* a block under a heading followed by items without blocks: the section's */
	assert_has(r, "\t提高城乡低保标准。\t\t县民政局\t");
	assert_has(r, "\t完善临时救助制度。\t\t县民政局\t");
	free(r);
	/* a section's leader under its heading, then each item's fields after it */
	r = tasks_of("一、道路安全\n"
		     "责任领导：王强\n"
		     "1.检查客运车辆。\n"
		     "牵头：县交通运输局；配合：县公安局\n"
		     "2.整治临水路段。\n"
		     "牵头：县公路中心\n");
	assert_has(r, "\t检查客运车辆。\t王强\t县交通运输局\t县公安局\t");
	assert_has(r, "\t整治临水路段。\t王强\t县公路中心\t\t");
	free(r);
}

static void test_a_sections_leader_passes_down_and_not_beyond(void **state)
{
	(void)state;
	char *r = tasks_of(
		"一、扩大有效投资（责任市领导：方立群）\n"
		"（一）加快重大项目建设。实施重大项目200个。（市发展改革委牵头，各区人民政府配合）\n"
		"（二）加大专项债券争取力度。争取额度45亿元。（市财政局牵头）\n"
		"二、促进消费恢复\n"
		"（一）培育新型消费。培育网络零售企业30家。（市商务局牵头）\n");
	assert_int_equal(count(r, "task\t"), 3);
	assert_has(
		r,
		"task\t2\t1\t一、扩大有效投资\t（一）加快重大项目建设\t实施重大项目200个。\t方立群\t市发展改革委\t各区人民政府\t");
	assert_has(
		r,
		"task\t3\t2\t一、扩大有效投资\t（二）加大专项债券争取力度\t争取额度45亿元。\t方立群\t市财政局\t");
	assert_has(
		r,
		"task\t5\t3\t二、促进消费恢复\t（一）培育新型消费\t培育网络零售企业30家。\t\t市商务局\t");
	free(r);
}

static void test_a_block_after_item_2_is_item_2s(void **state)
{
	(void)state;
	char *r = tasks_of(
		"一、推动产业转型升级\n1.实施工业企业技术改造。\n"
		"（1）支持企业设备更新。（县工信局牵头，县财政局配合）\n"
		"（2）推进企业上云用数。（县工信局牵头，县大数据中心配合）\n"
		"2.培育壮大特色产业集群。引进配套项目10个以上。\n"
		"牵头领导：郑　宏\n牵头单位：县发展和改革局\n配合单位：县工信局、县农业农村局\n完成时限：2023年12月底前\n");
	assert_int_equal(count(r, "task\t"), 3);
	assert_has(
		r,
		"task\t5\t3\t一、推动产业转型升级\t\t培育壮大特色产业集群。引进配套项目10个以上。\t郑宏\t县发展和改革局\t县工信局|县农业农村局\t");
	free(r);
}

static void test_a_block_after_the_items_of_a_title_goes_to_each_item(void **state)
{
	(void)state;
	char *r = tasks_of(
		"（一）应急预案建设\n1.完善应急预案体系\n（1）加强应急预案管理。\n（2）推进应急预案简明化。\n"
		"（责任单位：市应急管理局、各县（市、区）人民政府）\n");
	assert_int_equal(count(r, "task\t"), 2);
	assert_has(
		r,
		"task\t3\t1\t\t（一）应急预案建设\t加强应急预案管理。\t\t市应急管理局|各县（市、区）人民政府\t");
	assert_has(r, "task\t4\t2\t\t（一）应急预案建设\t推进应急预案简明化。\t");
	free(r);
}

static void test_a_block_after_the_items_of_an_item_with_text_is_one_task(void **state)
{
	(void)state;
	char *r = tasks_of(
		"2.推进政务服务数字化。提升网上办事服务能力。\n(1)推行高频事项移动端办理。\n(2)推进电子证照应用。\n"
		"责任单位：市政务服务管理局（牵头）、市大数据局\n");
	assert_int_equal(count(r, "task\t"), 1);
	assert_has(
		r,
		"推进政务服务数字化。提升网上办事服务能力。|(1)推行高频事项移动端办理。|(2)推进电子证照应用。\t\t"
		"市政务服务管理局\t市大数据局\t");
	free(r);
}

static void test_variants_of_a_unit_merge_under_the_fullest_form_the_notice_writes(void **state)
{
	(void)state;
	char *r = tasks_of(
		"1.加强基层医疗。（县卫健局牵头）\n2.推进医共体。（县卫健局牵头，县医保局配合）\n"
		"3.完善急救体系。（县卫生健康局牵头，县财政局配合）\n4.发展文旅。（县文旅局牵头）\n");
	assert_int_equal(count(r, "\t县卫生健康局\t"), 6); /* 3 tasks: lead and lead_written */
	/* the key column keeps 县卫健局, for across notices */
	assert_has(r, "\t加强基层医疗。\t\t县卫生健康局\t");
	assert_has(r, "\t县文旅局\t"); /* a short form alone stays as written */
	assert_has(r,
		   "finding\t1\t提示\tunit.alias\t“县卫健局”与本文件中的“县卫生健康局”为同一单位");
	free(r);
}

/* A group row that names its leader: its rows take him, their 一级标题 is
 * the group without the marking. */
static void test_a_group_row_names_its_leader(void **state)
{
	(void)state;
	char *r = tasks_of("序号\t目标任务\t牵头单位\t责任单位\n"
			   "一、经济指标（牵头领导：程坤、王骏）\n"
			   "1\t地区生产总值增长7%。\t区发改局\t区统计局\n"
			   "2\t一般公共预算收入增长6%。\t区财政局\t区税务局\n");
	assert_has(r, "\t1\t一、经济指标\t\t地区生产总值增长7%。\t程坤|王骏\t区发改局\t区统计局\t");
	assert_has(
		r,
		"\t2\t一、经济指标\t\t一般公共预算收入增长6%。\t程坤|王骏\t区财政局\t区税务局\t");
	free(r);
}

/* A declaration inside a sentence: the name begins after the verb before it. */
static void test_a_declaration_after_a_verb(void **state)
{
	(void)state;
	char *r = tasks_of(
		"一、稳定就业\n"
		"结合县人力资源和社会保障局（以下简称县人社局）开展的调研，提出如下措施。\n"
		"1.开发公益性岗位300个。（县人社局牵头）\n");
	assert_has(r, "\t开发公益性岗位300个。\t\t县人力资源和社会保障局\t");
	free(r);
}

static void test_a_declared_short_form_is_shown_by_its_full_name(void **state)
{
	(void)state;
	char *r = tasks_of("市大数据发展管理局（以下简称“市大数据局”）统筹推进。\n"
			   "1.建设数据平台。（市大数据局牵头，市财政局配合）\n");
	assert_has(r, "\t建设数据平台。\t\t市大数据发展管理局\t市财政局\t");
	assert_has(
		r,
		"unit.alias\t“市大数据局”是本文件声明的简称，已统一写作全称“市大数据发展管理局”");
	free(r);
}

static void test_names_written_in_full_are_never_renamed(void **state)
{
	(void)state;
	char *r = tasks_of(
		"1.推进城市更新。（市住房和城乡建设局牵头，市发展和改革委员会、市市场监督管理局配合）\n");
	assert_has(r, "\t市住房和城乡建设局\t市发展和改革委员会|市市场监督管理局\t");
	assert_lacks(r, "unit.alias");
	free(r);
}

static void test_several_markings_in_one_paragraph_give_several_tasks(void **state)
{
	(void)state;
	char *r = tasks_of(
		"（一）增强创新能力。推进示范区建设（省科技厅牵头）。实施攻关项目，落实减免政策"
		"（省科技厅、省财政厅等负责），建设众创空间（省科技厅牵头）。\n");
	assert_int_equal(count(r, "task\t"), 3);
	/* each keeps the 。 that ends its sentence after the marking, as a
	 * paragraph of one task does */
	assert_has(r, "\t推进示范区建设。\t\t省科技厅\t");
	assert_has(r, "\t实施攻关项目，落实减免政策\t\t省科技厅|省财政厅\t");
	assert_has(r, "\t建设众创空间。\t\t省科技厅\t");
	free(r);
}

static void test_a_range_of_items_takes_the_roles_named_after_it(void **state)
{
	(void)state;
	char *r = tasks_of("1.绘制招商图谱。\n2.建立目标企业库。\n3.组建招商小分队。\n"
			   "以上第1—3项任务由县投资促进局牵头，县工信局配合。\n");
	assert_int_equal(count(r, "task\t"), 3);
	/* lead, coop and their written forms */
	assert_int_equal(count(r, "\t县投资促进局\t县工信局\t"), 6);
	free(r);
}

static void test_items_inside_a_paragraph(void **state)
{
	(void)state;
	char *r = tasks_of(
		"（三）推进农业现代化。一是稳定粮食面积120万亩（市农业农村局牵头）；二是新建高标准农田8万亩"
		"（市农业农村局负责）。\n"
		"（四）强化保障。重点抓好三项工作：一是强化要素保障；二是深化改革；三是规范执法（市司法局牵头）。\n");
	assert_has(r, "\t稳定粮食面积120万亩\t\t市农业农村局\t");
	assert_has(r, "\t新建高标准农田8万亩\t\t市农业农村局\t");
	/* the last item's marking closes the whole paragraph */
	assert_has(
		r,
		"\t重点抓好三项工作：一是强化要素保障；二是深化改革；三是规范执法。\t\t市司法局\t");
	assert_int_equal(count(r, "task\t"), 3);
	free(r);
}

static void test_a_sentence_with_a_unit_as_its_subject_is_reported_not_guessed(void **state)
{
	(void)state;
	char *r = tasks_of(
		"关于做好某工作的通知\n各区：\n现通知如下。\n某市人民政府\n2023年3月1日\n"
		"一、保障措施\n市财政局负责落实配套资金，确保足额到位。\n");
	assert_lacks(r, "task\t");
	assert_has(r, "finding\t7\t提示\ttask.unread\t");
	free(r);
}

static void test_yearless_deadlines_take_the_notices_year(void **state)
{
	(void)state;
	char *r = tasks_of(
		"关于做好某工作的通知\n各区：\n现通知如下。\n某市人民政府\n2023年3月1日\n"
		"1.完成摸底排查。（市农业农村局牵头；完成时限：5月底前）\n"
		"2.建立长效机制。（市农业农村局牵头；完成时限：长期坚持）\n");
	assert_has(r, "\t完成摸底排查。\t\t市农业农村局\t\t2023-05-31\t");
	assert_has(r, "\t建立长效机制。\t\t市农业农村局\t\t\t");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_sections_leader_passes_down_and_not_beyond),
		cmocka_unit_test(test_a_block_after_item_2_is_item_2s),
		cmocka_unit_test(test_a_block_after_the_items_of_a_title_goes_to_each_item),
		cmocka_unit_test(test_a_block_after_the_items_of_an_item_with_text_is_one_task),
		cmocka_unit_test(
			test_variants_of_a_unit_merge_under_the_fullest_form_the_notice_writes),
		cmocka_unit_test(test_a_declared_short_form_is_shown_by_its_full_name),
		cmocka_unit_test(test_names_written_in_full_are_never_renamed),
		cmocka_unit_test(test_several_markings_in_one_paragraph_give_several_tasks),
		cmocka_unit_test(test_a_range_of_items_takes_the_roles_named_after_it),
		cmocka_unit_test(test_items_inside_a_paragraph),
		cmocka_unit_test(
			test_a_sentence_with_a_unit_as_its_subject_is_reported_not_guessed),
		cmocka_unit_test(test_yearless_deadlines_take_the_notices_year),
		cmocka_unit_test(test_cells_the_row_above_fills),
		cmocka_unit_test(test_a_unit_as_the_subject_of_an_item),
		cmocka_unit_test(test_yishi_paragraphs_lose_their_number),
		cmocka_unit_test(test_matters_of_a_supervision_slip),
		cmocka_unit_test(test_a_later_section_assigns_items_by_their_labels),
		cmocka_unit_test(test_a_unit_alone_on_a_line_leads_the_items_under_it),
		cmocka_unit_test(test_an_item_and_the_paragraph_after_it_are_two_tasks),
		cmocka_unit_test(test_a_heading_that_names_its_lead_unit),
		cmocka_unit_test(test_a_marking_for_all_the_items_above),
		cmocka_unit_test(test_fields_above_each_item),
		cmocka_unit_test(test_a_declaration_after_a_verb),
		cmocka_unit_test(test_a_group_row_names_its_leader),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
