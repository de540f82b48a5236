// The HTML trend report page: figures and charts present and accessible,
// hostile labels escaped, empty data shown as "no data", every SVG
// well-formed XML, the same input giving the same bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tools/xml_check.h"
#include "tools/report/html_report.h"
#include "tools/report/svg_charts.h"

namespace {

using ikv::projections::Granularity;
using ikv::report::HtmlReportInput;
using ikv::report::render_html_report;
using ikv::tests::check_xml;
using ikv::tests::count_of;
using ikv::tests::svgs_of;

HtmlReportInput sample_input() {
  HtmlReportInput in;
  in.parameters.from = "2024-01-01";
  in.parameters.to = "2024-06-30";
  in.parameters.granularity = "quarter";
  in.parameters.log_position = 412;
  in.parameters.log_recorded_at = "2024-06-01T08:00:00.000000Z";
  in.parameters.coverage_on = "2024-06-30";
  in.periods = {"2024-Q1", "2024-Q2"};
  in.labels.themes = {{"forced_labour", "Forced labour"}, {"seasonal_work", "Seasonal work"}};
  in.labels.formats = {{"in_person", "In person"}, {"remote", "Remote"}};
  in.labels.sectors = {{"ngo", "NGOs"}, {"police", "Police"}, {"parish", "Parishes"}};
  in.labels.networks = {{"oulu", "Oulu"}, {"turku", "Turku"}};
  ikv::projections::TrendPeriod a;
  a.period = "2024-Q1";
  a.network = "oulu";
  a.observations = {{"forced_labour", 2}, {"seasonal_work", 1}};
  a.meetings_held = {{"in_person", 1}};
  a.members_joined = 3;
  ikv::projections::TrendPeriod b;
  b.period = "2024-Q2";
  b.network = "turku";
  b.observations = {{"seasonal_work", 4}};
  b.meetings_held = {{"remote", 2}};
  in.trends.periods = {a, b};
  in.trends.themes_ranked = {{"seasonal_work", 2}, {"forced_labour", 1}};
  in.coverage = {{"oulu", {{"police", 2}, {"ngo", 1}}, {"parish"}},
                 {"turku", {{"ngo", 5}}, {"parish", "police"}}};
  return in;
}

TEST(HtmlReport, RendersFourFiguresOfAccessibleCharts) {
  const std::string page = render_html_report(sample_input());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count_of(page, "<section class=\"figure\""), 4u);
  EXPECT_EQ(count_of(page, "<table>"), 4u);
  const auto svgs = svgs_of(page);
  // Themes: legend and one panel per network; meetings: legend and chart;
  // coverage matrix; themes ranked.
  ASSERT_EQ(svgs.size(), 7u);
  for (const std::string& svg : svgs) {
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos) << svg.substr(0, 120);
    EXPECT_EQ(count_of(svg, "<title id="), 1u) << svg.substr(0, 120);
    EXPECT_EQ(count_of(svg, "<desc id="), 1u) << svg.substr(0, 120);
  }
  EXPECT_EQ(count_of(page, "No data in this range"), 0u);
  // The parameters and the period labels are shown.
  EXPECT_NE(page.find("event log position 412"), std::string::npos);
  EXPECT_NE(page.find(">2024-Q1</text>"), std::string::npos);
  EXPECT_NE(page.find(">2024-Q2</text>"), std::string::npos);
  EXPECT_NE(page.find("All networks"), std::string::npos);
}

TEST(HtmlReport, DrawsOneMarkPerCountAndCrossesMissingSectors) {
  const std::string page = render_html_report(sample_input());
  // Themes: oulu 2 marks (Q1 forced labour, seasonal work), turku 1; meetings:
  // 2; coverage: 3 cells with members; ranked: 2 rows.
  EXPECT_EQ(count_of(page, "<rect class=\"mark\""), 3u + 2u + 3u + 2u);
  EXPECT_EQ(count_of(page, "<rect class=\"missing\""), 3u);
  EXPECT_NE(page.find("Parishes, Oulu: missing"), std::string::npos);
  EXPECT_NE(page.find("Police, Turku: missing"), std::string::npos);
  // The Turku panel stacks 4 on a shared scale of 4: its bar is as tall as the plot.
  EXPECT_NE(page.find("Seasonal work, 2024-Q2: 4"), std::string::npos);
}

TEST(HtmlReport, EscapesHostileLabelsFromData) {
  HtmlReportInput in = sample_input();
  in.labels.themes["forced_labour"] = "<script>alert(1)</script>";
  in.labels.networks["oulu"] = "\"><img src=x onerror=alert(1)>";
  in.labels.sectors["ngo"] = "NGOs & <b>friends</b>";
  in.trends.periods[0].observations["<svg onload=alert(2)>"] = 1;
  in.parameters.network = "oulu";
  const std::string page = render_html_report(in);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_EQ(page.find("<svg onload"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(page.find("NGOs &amp; &lt;b&gt;friends&lt;/b&gt;"), std::string::npos);
  for (const std::string& svg : svgs_of(page)) EXPECT_EQ(check_xml(svg), "") << svg;
}

TEST(HtmlReport, EmptyDataGivesNoDataChartsThatAreWellFormed) {
  HtmlReportInput in;
  in.parameters.to = "2024-12-31";
  const std::string page = render_html_report(in);
  EXPECT_EQ(count_of(page, "<section class=\"figure\""), 4u);
  const auto svgs = svgs_of(page);
  ASSERT_EQ(svgs.size(), 4u);
  for (const std::string& svg : svgs) {
    EXPECT_EQ(check_xml(svg), "") << svg;
    EXPECT_NE(svg.find(">No data in this range</text>"), std::string::npos) << svg;
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  }
  EXPECT_EQ(count_of(page, "class=\"mark\""), 0u);
}

TEST(HtmlReport, NetworkWithoutObservationsGetsAnEmptyPanel) {
  HtmlReportInput in = sample_input();
  in.coverage.push_back({"tampere", {}, {"ngo", "parish", "police"}});
  const std::string page = render_html_report(in);
  EXPECT_EQ(svgs_of(page).size(), 8u);
  EXPECT_EQ(count_of(page, ">No observations in this range</text>"), 1u);
}

TEST(HtmlReport, EverySvgIsWellFormedXml) {
  const auto svgs = svgs_of(render_html_report(sample_input()));
  ASSERT_FALSE(svgs.empty());
  for (const std::string& svg : svgs) EXPECT_EQ(check_xml(svg), "") << svg;
}

TEST(HtmlReport, XmlCheckRejectsMalformedMarkup) {
  EXPECT_EQ(check_xml("<svg a=\"1\"><g><text>x &amp; y</text></g><rect/></svg>"), "");
  EXPECT_NE(check_xml("<svg><g></svg>"), "");
  EXPECT_NE(check_xml("<svg><text>a < b</text></svg>"), "");
  EXPECT_NE(check_xml("<svg><text>a &nbsp; b</text></svg>"), "");
  EXPECT_NE(check_xml("<svg a=1></svg>"), "");
  EXPECT_NE(check_xml("<svg></svg><svg></svg>"), "");
  EXPECT_NE(check_xml("<svg>"), "");
}

TEST(HtmlReport, PageReferencesNothingOutsideItself) {
  const std::string page = render_html_report(sample_input());
  for (const char* needle : {"<script", "http:", "https:", " src=", " href=", "url(", "@import"}) {
    EXPECT_EQ(page.find(needle), std::string::npos) << needle;
  }
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
}

TEST(HtmlReport, SameInputGivesSameBytes) {
  const HtmlReportInput a = sample_input();
  HtmlReportInput b = sample_input();
  b.labels.themes.clear();
  b.labels.themes["seasonal_work"] = "Seasonal work";
  b.labels.themes["forced_labour"] = "Forced labour";
  EXPECT_EQ(render_html_report(a), render_html_report(b));
  EXPECT_EQ(render_html_report(a), render_html_report(a));
}

TEST(HtmlReport, ThemeKeepsItsColourAcrossInputs) {
  HtmlReportInput in = sample_input();
  const std::string seasonal = ikv::report::series_colour(1);
  EXPECT_NE(render_html_report(in).find("fill=\"" + seasonal + "\"><title>Seasonal work"),
            std::string::npos);
  in.trends.periods[0].observations.erase("forced_labour");
  EXPECT_NE(render_html_report(in).find("fill=\"" + seasonal + "\"><title>Seasonal work"),
            std::string::npos);
}

TEST(ReportPeriods, CoverTheRangeAtEachGranularity) {
  using ikv::domain::Date;
  using ikv::report::report_periods;
  EXPECT_EQ(report_periods(Date{2023, 11, 20}, Date{2024, 2, 1}, Granularity::kMonth),
            (std::vector<std::string>{"2023-11", "2023-12", "2024-01", "2024-02"}));
  EXPECT_EQ(report_periods(Date{2023, 12, 31}, Date{2024, 4, 1}, Granularity::kQuarter),
            (std::vector<std::string>{"2023-Q4", "2024-Q1", "2024-Q2"}));
  EXPECT_EQ(report_periods(Date{2022, 6, 1}, Date{2024, 1, 1}, Granularity::kYear),
            (std::vector<std::string>{"2022", "2023", "2024"}));
  EXPECT_TRUE(report_periods(Date{2024, 2, 1}, Date{2024, 1, 1}, Granularity::kMonth).empty());
}

TEST(ReportPeriods, PeriodStartReadsPeriodLabels) {
  using ikv::domain::Date;
  using ikv::report::period_start;
  EXPECT_EQ(period_start("2024-05"), (Date{2024, 5, 1}));
  EXPECT_EQ(period_start("2024-Q3"), (Date{2024, 7, 1}));
  EXPECT_EQ(period_start("2024"), (Date{2024, 1, 1}));
  EXPECT_FALSE(period_start("2024-13"));
  EXPECT_FALSE(period_start("2024-Q5"));
  EXPECT_FALSE(period_start("24"));
  EXPECT_FALSE(period_start("abcd"));
}

}  // namespace
