/* test_layout.c - the header, outline and tables of a notice (lib/notice/layout.c,
 * header.c, texttable.c) with the shipped rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/layout.h"

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

/* The records segment writes for the lines of text (\n between lines). */
static char *layout_of(const char *text)
{
	struct layout L;
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
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

static void test_organ_above_a_wrapped_title_starts_the_title(void **state)
{
	(void)state;
	char *r = layout_of(
		"霁政办发〔2023〕12号\n霁川市人民政府办公室\n关于印发霁川市城市更新\n工作方案的通知\n\n"
		"各区人民政府，市政府各部门：\n\n现将方案印发给你们。\n\n霁川市人民政府办公室\n2023年3月1日\n");
	assert_has(r, "head\t1\t霁政办发〔2023〕12号\tdocno\t霁政办发〔2023〕12号\n");
	assert_has(r, "head\t2\t霁川市人民政府办公室\tissuer\t霁川市人民政府办公室\n");
	assert_has(r, "head\t2\t霁川市人民政府办公室\ttitle\t霁川市人民政府办公室\n");
	assert_has(r, "\ttitle\t关于印发霁川市城市更新\n");
	assert_has(r, "\ttitle\t工作方案的通知\n");
	assert_has(r, "\trecipients\t各区人民政府，市政府各部门\n");
	assert_has(r, "head\t11\t2023年3月1日\tdate\t2023年3月1日\n");
	assert_has(r, "head\t10\t霁川市人民政府办公室\tsignature\t");
	free(r);
}

static void test_letter_spaced_masthead_rule_and_urgency_lines(void **state)
{
	(void)state;
	char *r = layout_of(
		"000123\n特急\n霁 川 市 人 民 政 府 办 公 室 文 件\n————————————\n"
		"霁政办发〔2023〕5号  签发人：张明远\n霁川市人民政府办公室关于印发\n某某方案的通知\n"
		"各区人民政府：\n");
	assert_has(r, "\tissuer\t霁川市人民政府办公室\n");
	assert_has(r, "\tdocno\t霁政办发〔2023〕5号\n");
	assert_has(r, "\ttitle\t霁川市人民政府办公室关于印发\n");
	assert_has(r, "\ttitle\t某某方案的通知\n");
	assert_lacks(r, "para\t1\t");
	assert_lacks(r, "para\t2\t");
	free(r);
}

static void test_portal_metadata_gives_the_header(void **state)
{
	(void)state;
	char *r = layout_of(
		"索　引　号：QF-2024-00041\n发文字号：栖政办〔2024〕7号\n发布机构：栖凤县人民政府办公室\n"
		"标　　题：栖凤县人民政府办公室关于印发工作要点的通知\n成文日期：2024-03-05\n"
		"发布日期：2024-03-07\n\n各乡镇人民政府，县直各单位：\n\n现将工作要点印发给你们。\n");
	assert_has(r, "\tdocno\t栖政办〔2024〕7号\n");
	assert_has(r, "\tissuer\t栖凤县人民政府办公室\n");
	assert_has(r, "\ttitle\t栖凤县人民政府办公室关于印发工作要点的通知\n");
	assert_has(r, "\tdate\t2024-03-05\n");
	assert_lacks(r, "\tdate\t2024-03-07");
	assert_has(r, "\trecipients\t各乡镇人民政府，县直各单位\n");
	free(r);
}

static void test_date_without_year_is_still_the_date(void **state)
{
	(void)state;
	char *r = layout_of(
		"关于做好某工作的通知\n各区：\n现将有关事项通知如下。\n霁川市人民政府\n5月6日\n");
	assert_has(r, "head\t5\t5月6日\tdate\t5月6日\n");
	free(r);
}

static void test_hard_wrapped_lines_are_joined_and_page_numbers_dropped(void **state)
{
	(void)state;
	/* A text cut at a fixed width: a paragraph over a page break. */
	char *r = layout_of(
		"一、重点任务\n"
		"　　1.加快工业互联网网络建设。支持企业利用新一代移动通信和千兆光网改\n"
		"造企业内网，推动工业设备联网上云，到2025年建成工业互联网标杆网络50个\n\n— 1 —\n\n"
		"。（牵头单位：市工业和信息化局；配合单位：市通信发展管理办公室、各基\n"
		"础电信企业）\n"
		"　　2.建设标识解析二级节点。面向装备制造、新材料等重点行业建设标识解析二\n"
		"级节点，2024年6月底前建成并接入国家顶级节点，累计接入企业三百家以上。\n"
		"　　3.推进算力基础设施建设。统筹建设城市算力中心和边缘计算节点，新增标\n"
		"准机架2000个，为企业提供普惠算力服务，带动全市数字经济产业加快发展。\n"
		"　　4.培育数字产业生态。建设数字化转型促进中心，提供诊断评估和方案设计\n"
		"等公共服务，培育一批具有较强竞争力的数字化转型服务商和解决方案提供商。\n");
	assert_has(
		r,
		"heading\t2\t1.加快工业互联网网络建设。支持企业利用新一代移动通信和千兆光网改造企业内网，"
		"推动工业设备联网上云，到2025年建成工业互联网标杆网络50个。（牵头单位：市工业和信息化局；"
		"配合单位：市通信发展管理办公室、各基础电信企业）\t3\t1\t");
	assert_lacks(r, "— 1 —");
	free(r);
}

static void test_a_notice_on_one_line_is_cut_into_its_paragraphs(void **state)
{
	(void)state;
	char *r = layout_of(
		"云峤区人民政府办公室关于印发某方案的通知　云峤府办发〔2024〕6号　各街道办事处，区政府各部门：　　"
		"现将方案印发给你们，请认真组织实施。　　云峤区人民政府办公室　2024年3月8日　　一、主要任务　　"
		"1.开展充电需求排查。建立需求清单。（责任单位：各街道办事处）2.编制设施布点方案。确定选址。"
		"（责任单位：区住房和城乡建设局）");
	assert_has(r, "\tdocno\t云峤府办发〔2024〕6号\n");
	assert_has(r, "\trecipients\t各街道办事处，区政府各部门\n");
	assert_has(r, "\tdate\t2024年3月8日\n");
	assert_has(r, "heading\t1\t1.开展充电需求排查。");
	assert_has(r, "heading\t1\t2.编制设施布点方案。");
	free(r);
}

static void test_items_inside_a_paragraph(void **state)
{
	(void)state;
	char *r = layout_of(
		"重点抓好三项工作：一是加强领导（市委办牵头）；二是强化保障（市财政局负责）；三是严格考核。");
	assert_has(r, "para\t1\t重点抓好三项工作：\n");
	assert_has(r,
		   "item\t1\t一是加强领导（市委办牵头）；\t加强领导（市委办牵头）；\tinline\t一\n");
	assert_has(r, "\tinline\t三\n");
	free(r);
}

static void test_tab_table_with_group_and_continuation_rows(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号\t重点任务\t牵头领导\t牵头单位\t配合单位\t完成时限\n"
		"一、扩大有效投资\t\t\t\t\t\n"
		"1\t实施重大项目攻坚行动，完成投资\t陶景明\t市发展和改革委员会\t市财政局、市生态\t2023年12月底前\n"
		"\t850亿元以上。\t\t\t环境局\t\n"
		"2\t加快专项债券项目建设。\t岑立夫\t市财政局\t市发展和改革委员会\t上半年\n");
	assert_has(r, "row\t3\t");
	assert_has(
		r,
		"\t1\t一、扩大有效投资\t实施重大项目攻坚行动，完成投资850亿元以上。\t陶景明\t市发展和改革委员会\t"
		"市财政局、市生态环境局\t\t2023年12月底前\n");
	assert_has(
		r,
		"\t2\t一、扩大有效投资\t加快专项债券项目建设。\t岑立夫\t市财政局\t市发展和改革委员会\t\t上半年\n");
	assert_lacks(r, "row\t4\t");
	free(r);
}

/* A 整改台账: a column of its own name (存在问题) shown nowhere; a measure
 * under merged cells (序号, 问题, 领导 written once) is a row of its own. */
static void test_ledger_with_an_unknown_column_and_merged_cells(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号\t存在问题\t整改举措\t责任领导\t责任科室\t整改时限\n"
		"1\t制度执行不严\t修订内部管理制度汇编\t副局长 田野\t综合科\t2025年3月底前\n"
		"\t\t开展制度执行情况专项检查\t\t综合科、法规科\t长期坚持\n"
		"2\t台账不全\t建立项目进度台账\t副局长 田野\t项目科\t2025年2月底前\n");
	assert_has(r, "\t1\t\t修订内部管理制度汇编\t副局长 田野\t\t\t综合科\t2025年3月底前\n");
	assert_has(r, "row\t3\t开展制度执行情况专项检查\\t\\t综合科、法规科\\t长期坚持\t1\t\t"
		      "开展制度执行情况专项检查\t副局长 田野\t\t\t综合科、法规科\t长期坚持\n");
	assert_has(r, "\t2\t\t建立项目进度台账\t副局长 田野\t\t\t项目科\t");
	assert_lacks(r, "\t制度执行不严\t");
	free(r);
}

/* A web page's table copied one cell a line: a column of its own name holds
 * the matter, and a row may name its units one a line. */
static void test_one_cell_a_line_with_units_a_line_each(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号\n\n便民项目\n\n责任单位\n\n完成时限\n\n"
		"1\n\n新建城北社区卫生服务站。\n\n区卫健局\n\n区代建中心\n\n10月底前\n\n"
		"2\n\n改造老旧小区供水管网。\n\n区水务局\n\n年底前\n");
	assert_has(r, "\t1\t\t新建城北社区卫生服务站。\t\t\t\t区卫健局\\n区代建中心\t10月底前\n");
	assert_has(r, "\t2\t\t改造老旧小区供水管网。\t\t\t\t区水务局\t年底前\n");
	free(r);
}

/* The issuer where a notice names it only in its title, or signs as a 党组
 * above a date without its year; a title in 《》; a portal's date with its time. */
static void test_issuers_titles_and_dates_of_other_forms(void **state)
{
	(void)state;
	char *r = layout_of(
		"岚水县人民政府办公室关于做好秋冬季森林防火工作的通知\n\n岚政办发〔2024〕30号\n\n"
		"各乡镇人民政府：\n\n现将有关事项通知如下。\n");
	assert_has(r, "\tissuer\t岚水县人民政府办公室\n");
	free(r);
	r = layout_of(
		"《关于印发岚水县冬修水利实施方案的通知》\n\n岚政办〔2024〕41号\n\n各乡镇人民政府：\n\n"
		"现印发给你们。\n\n中共岚水县水利局党组\n\n十一月二十日\n");
	assert_has(r, "\ttitle\t关于印发岚水县冬修水利实施方案的通知\n");
	assert_has(r, "\tissuer\t中共岚水县水利局党组\n");
	assert_has(r, "\tdate\t十一月二十日\n");
	free(r);
	r = layout_of(
		"发文机构 | 岚水县人民政府 | 文号 | 岚政发〔2024〕2号\n成文日期 | 2024-03-05 00:00:00 |\n"
		"岚水县人民政府关于加强耕地保护的意见\n各乡镇人民政府：\n现提出如下意见。\n");
	assert_has(r, "\tdate\t2024-03-05 00:00:00\n");
	free(r);
}

static void test_aligned_table_with_wrapped_cells(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号   工作任务                               责任单位           协办单位\n"
		"1      完善食品安全地方标准体系，年内制定修   市卫生健康委员会   市市场监督管理局\n"
		"       订地方特色食品标准5项。\n"
		"2      开展学校食堂专项检查，覆盖全市中小学   市教育局           市市场监督管理局、各\n"
		"       校和幼儿园食堂。                                          区人民政府\n");
	/* cells: num group task leaders lead coop resp deadline */
	assert_has(r, "\t1\t\t完善食品安全地方标准体系，年内制定修订地方特色食品标准5项。\t\t\t"
		      "市市场监督管理局\t市卫生健康委员会\t\n");
	assert_has(r, "\t开展学校食堂专项检查，覆盖全市中小学校和幼儿园食堂。\t\t\t"
		      "市市场监督管理局、各区人民政府\t市教育局\t\n");
	free(r);
}

static void test_one_cell_to_a_line(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号\n牵头单位\n配合单位\n重点任务\n时间节点\n1\n县教育局\n县财政局\n新建城区第三小学。\n8月底前\n"
		"2\n县卫生健康局\n县财政局\n完成乡镇卫生院提升改造。\n年底前\n");
	assert_has(r, "row\t6\t");
	assert_has(r, "\t新建城区第三小学。\t\t县教育局\t县财政局\t\t8月底前\n");
	assert_has(r, "row\t11\t");
	free(r);
}

static void test_lines_that_are_no_table(void **state)
{
	(void)state;
	char *r = layout_of(
		"牵头单位：区人力资源和社会保障局\n责任单位：各街道办事处\n二、重点工作任务\n（一）抓项目扩投资\n");
	assert_lacks(r, "row\t");
	free(r);
}

/* A web table's rows as pages give them: empty cells left out, two matters
 * in one row sharing its cells, a note column, the text after the table. */
static void test_one_cell_a_line_with_cells_left_out(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号\n\n民生项目\n\n分管领导\n\n牵头单位\n\n配合单位\n\n完成时限\n\n备注\n\n"
		"1\n\n新建公交首末站1座。\n\n王志刚\n\n县交通运输局\n\n9月底前\n\n"
		"2\n\n开工建设县医院门诊楼。\n\n赵丽华\n\n县卫生健康局\n\n县发展和改革局\n\n"
		"5月底前开工\n\n完成县中医院发热门诊改造。\n\n8月底前\n\n"
		"3\n\n建成口袋公园3处。\n\n县城市管理局\n\n县自然资源局\n\n6月底前\n\n"
		"已完成设计\n\n抄送：县委办公室。\n");
	/* row 1: no 配合单位, no 备注 */
	assert_has(r, "\t1\t\t新建公交首末站1座。\t王志刚\t县交通运输局\t\t\t9月底前\n");
	/* row 2: a second matter with its own deadline, sharing leader and units */
	assert_has(
		r,
		"\t2\t\t开工建设县医院门诊楼。\t赵丽华\t县卫生健康局\t县发展和改革局\t\t5月底前开工\n");
	assert_has(
		r,
		"\t2\t\t完成县中医院发热门诊改造。\t赵丽华\t县卫生健康局\t县发展和改革局\t\t8月底前\n");
	/* row 3: no leader; its note is no unit; the 抄送 line is no cell */
	assert_has(r, "\t3\t\t建成口袋公园3处。\t\t县城市管理局\t县自然资源局\t\t6月底前\n");
	assert_has(r, "tail\t");
	free(r);
}

/* Rows typed with TABs are never joined as lines cut at a fixed width. */
static void test_tab_rows_are_not_joined(void **state)
{
	(void)state;
	char *r = layout_of("序号\t民生实事\t牵头单位\t配合单位\t进展\n"
			    "13\t新建社区食堂20个。\t市民政局\t各区人民政府\t已建成16个\n"
			    "14\t新增幼儿园学位3000个。\t市教育局\t市财政局\t已新增2400个\n"
			    "16\t改造农贸市场8个。\t市商务局\t各区人民政府\t已完工5个\n");
	assert_has(r, "\t14\t\t新增幼儿园学位3000个。\t\t市教育局\t市财政局\t\t\n");
	assert_has(r, "\t16\t\t改造农贸市场8个。\t\t市商务局\t各区人民政府\t\t\n");
	free(r);
}

/* The organ the notice names itself before the portal's 发布机构 (the
 * office that put it on the web); a title naming its organ without the
 * place above a signature naming it whole. */
static void test_the_notice_names_its_issuer_before_the_portal(void **state)
{
	(void)state;
	char *r = layout_of(
		"均水区人民政府关于分解落实2023年目标任务的通知\n发文单位\n区人民政府办公室\n"
		"发文字号\n均政发〔2023〕4号\n\n各乡镇人民政府，区政府各部门：\n\n"
		"现将目标任务分解如下。\n");
	assert_has(r, "\tissuer\t均水区人民政府\n");
	assert_lacks(r, "\tissuer\t区人民政府办公室\n");
	free(r);
	r = layout_of(
		"区人民政府办公室关于印发责任分解方案的通知\n\n各街道办事处，区人民政府各部门：\n\n"
		"现将方案印发给你们。\n\n柏泉区人民政府办公室\n\n2023年1月3日\n");
	assert_has(r, "\tissuer\t柏泉区人民政府办公室\n");
	assert_lacks(r, "\tissuer\t区人民政府办公室\n");
	free(r);
	/* labels and values set apart by spaces, several to a line */
	r = layout_of("索 引 号 MB1536017/2023-05112 发文日期 2023-01-03\n"
		      "发布机构 区人民政府办公室 文    号 柏政办〔2023〕1号\n\n"
		      "各街道办事处，区人民政府各部门：\n\n现将方案印发给你们。\n");
	assert_has(r, "\tdocno\t柏政办〔2023〕1号\n");
	assert_has(r, "\tdate\t2023-01-03\n");
	free(r);
}

/* One cell a line with no 序号 column, group rows between the rows. */
static void test_one_cell_a_line_without_numbers_and_group_rows(void **state)
{
	(void)state;
	char *r = layout_of(
		"工作任务\n\n牵头单位\n\n协办单位\n\n完成时间\n\n一、经济发展\n\n"
		"工业总产值突破800亿元\n\n区经贸局\n\n区统计局\n\n2007年12月\n\n"
		"二、城乡建设\n\n完成新城规划编制\n\n区规划分局\n\n区建设局\n\n2007年6月\n");
	assert_has(r,
		   "\t一、经济发展\t工业总产值突破800亿元\t\t区经贸局\t区统计局\t\t2007年12月\n");
	assert_has(r, "\t二、城乡建设\t完成新城规划编制\t\t区规划分局\t区建设局\t\t2007年6月\n");
	free(r);
}

/* Organs that issue together: one above the other over the date, and
 * apart by a space before the title's 关于; a 文号 in brackets under it. */
static void test_joint_issuers_and_a_bracketed_docno(void **state)
{
	(void)state;
	char *r = layout_of(
		"法搜网--法律信息\n中共江汉省委办公厅 江汉省人民政府办公厅关于印发分工方案的通知\n"
		"(汉办发[2008]7号)\n各市、州人民政府：\n现将方案印发给你们。\n"
		"中共江汉省委办公厅\n江汉省人民政府办公厅\n2008年2月26日\n");
	assert_has(r, "\ttitle\t中共江汉省委办公厅 江汉省人民政府办公厅关于印发分工方案的通知\n");
	assert_has(r, "\tdocno\t汉办发[2008]7号\n");
	assert_has(r, "\tissuer\t中共江汉省委办公厅 江汉省人民政府办公厅\n");
	free(r);
}

/* Cells apart by full-width bars; a 负责人 column holds the leader. */
static void test_full_width_bars_and_a_column_of_the_person_responsible(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号｜实事内容｜省直责任单位｜具体负责人\n"
		"1｜城镇新增就业50万人｜省劳动保障厅（牵头）、省财政厅｜副省长 甘  霖\n"
		"2｜新改建农村公路1.5万公里｜省交通厅（牵头）、省财政厅｜副省长 邹明德\n");
	assert_has(
		r,
		"\t1\t\t城镇新增就业50万人\t副省长 甘  霖\t\t\t省劳动保障厅（牵头）、省财政厅\t\n");
	free(r);
}

/* A measure and its target side by side: the measure is the task; a table
 * whose only such column is its target has it for its task. */
static void test_a_measure_beside_its_target(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号|整改措施|整改目标|责任科室|整改时限\n"
		"1|制定责任清单，每季度专题研究一次|8月底前印发清单|办公室|2024年8月31日前\n"
		"2|开展专项整治|问题线索全部办结|纪检监察室|2024年12月31日前\n");
	assert_has(r, "\t1\t\t制定责任清单，每季度专题研究一次\t\t\t\t办公室\t2024年8月31日前\n");
	free(r);
	r = layout_of("序号|考核目标|责任单位|完成时限\n1|地区生产总值增长8%|区发改局|年底前\n"
		      "2|财政收入增长6%|区财政局|年底前\n");
	assert_has(r, "\t1\t\t地区生产总值增长8%\t\t\t\t区发改局\t年底前\n");
	free(r);
}

/* A meeting's 纪要: its title names the organ, its number has no organ
 * before it, and with no 成文日期 the day it was printed dates it. */
static void test_the_header_of_a_meeting_summary(void **state)
{
	(void)state;
	char *r = layout_of(
		"金河县人民政府常务会议纪要\n〔2025〕5号\n\n会议研究了春耕工作。纪要如下：\n"
		"一、研究春季农业生产工作\n1.落实粮食播种面积38万亩。\n"
		"金河县人民政府办公室　　2025年3月13日印发\n");
	assert_has(r, "\ttitle\t金河县人民政府常务会议纪要\n");
	assert_has(r, "\tissuer\t金河县人民政府\n");
	assert_has(r, "\tdocno\t〔2025〕5号\n");
	assert_has(r, "\tdate\t2025年3月13日\n");
	free(r);
}

/* A sentence cut by a page number, in a text that is not cut to a width. */
static void test_a_sentence_cut_by_a_page_number(void **state)
{
	(void)state;
	char *r = layout_of(
		"一、重点任务\n3.建设物流配送中心1个，年底前快递进村覆盖率达到\n-2-\n"
		"100%。（牵头单位：县交通运输局）\n4.发展冷链物流。（牵头单位：县农业农村局）\n");
	assert_has(
		r,
		"3.建设物流配送中心1个，年底前快递进村覆盖率达到100%。（牵头单位：县交通运输局）");
	assert_lacks(r, "para\t4\t");
	free(r);
}

/* A notice forwarded by e-mail: the mail's head is no header of the notice,
 * the quote marks are no part of its lines. */
static void test_a_notice_forwarded_by_mail(void **state)
{
	(void)state;
	char *r = layout_of(
		"发件人: 党政办 <dzb@example.cn>\n主题: 转发：关于印发工作要点的通知\n\n"
		"> 南浦街道办事处关于印发工作要点的通知\n> 南街发〔2025〕6号\n"
		"> 各社区居委会：\n> 现将工作要点印发给你们。\n> 南浦街道办事处\n> 2025年2月28日\n"
		"> 一、矛盾纠纷化解\n> 1.建设调处化解中心。（责任科室：综治办）\n");
	assert_has(r, "\tdocno\t南街发〔2025〕6号\n");
	assert_has(r, "\tdate\t2025年2月28日\n");
	assert_has(r, "heading\t");
	assert_lacks(r, "\t> ");
	assert_lacks(r, "\ttitle\t主题");
	free(r);
}

/* A notice exported as Markdown: # headings, **bold**, "- " bullets. */
static void test_a_notice_in_markdown(void **state)
{
	(void)state;
	char *r = layout_of(
		"# 锦石集团有限公司关于印发重点工作任务的通知\n\n锦石城发〔2025〕12号\n\n"
		"各子公司：\n\n现将任务印发给你们。\n\n锦石集团有限公司\n2025年2月18日\n\n"
		"### 一、深化国企改革\n\n1. **完善法人治理结构。**修订子公司章程。\n"
		"   - **牵头部门**：企业管理部\n");
	assert_has(r, "\ttitle\t锦石集团有限公司关于印发重点工作任务的通知\n");
	assert_has(r, "heading\t12\t一、深化国企改革\t1\t");
	assert_has(r, "1. 完善法人治理结构。修订子公司章程。");
	assert_has(r, "牵头部门：企业管理部");
	assert_lacks(r, "**");
	free(r);
}

/* A table drawn with box-drawing lines: uprights part the cells, the rules
 * between rows part nothing, a row goes on in the line under it. */
static void test_a_table_drawn_with_box_lines(void **state)
{
	(void)state;
	char *r = layout_of(
		"┌──┬────────┬────┬────┐\n│序号│重点任务        │牵头单位│完成时间│\n"
		"├──┼────────┼────┼────┤\n│1   │完成人才培养方案│教务处  │2024年8月│\n"
		"│    │修订            │        │        │\n├──┼────────┼────┼────┤\n"
		"│2   │新增一流专业2个 │教务处  │2024年12月│\n└──┴────────┴────┴────┘\n");
	assert_has(r, "\t1\t\t完成人才培养方案修订\t");
	assert_has(r, "\t2\t\t新增一流专业2个\t");
	free(r);
}

/* A table saved as CSV, a cell with a comma in quotes, a group row. */
static void test_a_table_saved_as_csv(void **state)
{
	(void)state;
	char *r = layout_of(
		"序号,重点任务,牵头单位,配合单位,完成时限\n一、大气污染防治,,,,\n"
		"1,\"淘汰燃煤锅炉,确保动态清零\",县生态环境局,\"县市场监管局、县发改局\",2024年10月\n"
		"2,加强扬尘管控,县住建局,,长期坚持\n");
	assert_has(
		r,
		"\t1\t一、大气污染防治\t淘汰燃煤锅炉,确保动态清零\t\t县生态环境局\t县市场监管局、县发改局\t\t2024年10月\n");
	assert_has(r, "\t2\t一、大气污染防治\t加强扬尘管控\t\t县住建局\t\t\t长期坚持\n");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_organ_above_a_wrapped_title_starts_the_title),
		cmocka_unit_test(test_letter_spaced_masthead_rule_and_urgency_lines),
		cmocka_unit_test(test_portal_metadata_gives_the_header),
		cmocka_unit_test(test_date_without_year_is_still_the_date),
		cmocka_unit_test(test_hard_wrapped_lines_are_joined_and_page_numbers_dropped),
		cmocka_unit_test(test_a_notice_on_one_line_is_cut_into_its_paragraphs),
		cmocka_unit_test(test_items_inside_a_paragraph),
		cmocka_unit_test(test_tab_table_with_group_and_continuation_rows),
		cmocka_unit_test(test_ledger_with_an_unknown_column_and_merged_cells),
		cmocka_unit_test(test_one_cell_a_line_with_units_a_line_each),
		cmocka_unit_test(test_issuers_titles_and_dates_of_other_forms),
		cmocka_unit_test(test_aligned_table_with_wrapped_cells),
		cmocka_unit_test(test_one_cell_to_a_line),
		cmocka_unit_test(test_lines_that_are_no_table),
		cmocka_unit_test(test_one_cell_a_line_with_cells_left_out),
		cmocka_unit_test(test_tab_rows_are_not_joined),
		cmocka_unit_test(test_a_table_saved_as_csv),
		cmocka_unit_test(test_a_table_drawn_with_box_lines),
		cmocka_unit_test(test_a_notice_in_markdown),
		cmocka_unit_test(test_a_notice_forwarded_by_mail),
		cmocka_unit_test(test_a_sentence_cut_by_a_page_number),
		cmocka_unit_test(test_the_header_of_a_meeting_summary),
		cmocka_unit_test(test_a_measure_beside_its_target),
		cmocka_unit_test(test_full_width_bars_and_a_column_of_the_person_responsible),
		cmocka_unit_test(test_joint_issuers_and_a_bracketed_docno),
		cmocka_unit_test(test_one_cell_a_line_without_numbers_and_group_rows),
		cmocka_unit_test(test_the_notice_names_its_issuer_before_the_portal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
