//! The customer report (`keyholder report --format html|markdown`, File ▸ Export ▸ Report…):
//! every text from the plan escaped (in the charts too), two inline SVG charts and no script,
//! the account manager's recommendation (or none), the Markdown's sections.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use keyholder::model::{Evaluation, Plan, RecommendedScenario};
use keyholder::report::{Audience, ReportOptions, build, build_with, to_html, to_markdown};
use keyholder::storage::{load_plan, plan_to_ron};
use serde_json::Value;

const HOSTILE_SCRIPT: &str = "<script>alert(1)</script>";
const HOSTILE_QUOTES: &str = "\"quotes\" & ampersands";
const HOSTILE_PIPES: &str = "| pipes |";

fn sample_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("saves")
        .join(name)
}

fn sample(name: &str) -> Plan {
    load_plan(&sample_path(name)).expect("sample").0.plan
}

fn keyholder() -> Command {
    Command::new(env!("CARGO_BIN_EXE_keyholder"))
}

fn run(args: &[&str]) -> String {
    let output = keyholder().args(args).output().expect("run keyholder");
    assert_eq!(
        output.status.code(),
        Some(0),
        "keyholder {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn html_of(plan: &Plan, focus: Option<&str>) -> String {
    let evaluation = Evaluation::new(plan);
    to_html(&build(plan, &evaluation, focus).expect("report"))
}

fn markdown_of(plan: &Plan, focus: Option<&str>) -> String {
    let evaluation = Evaluation::new(plan);
    to_markdown(&build(plan, &evaluation, focus).expect("report"))
}

fn internal(plan: &Plan) -> keyholder::report::PlanReport {
    let evaluation = Evaluation::new(plan);
    build_with(
        plan,
        &evaluation,
        &ReportOptions {
            focus: None,
            audience: Audience::Internal,
            charts: true,
        },
    )
    .expect("report")
}

/// `plan` with the account manager recommending `scenario`.
fn recommending(mut plan: Plan, scenario: &str, rationale: &str) -> Plan {
    plan.recommended = Some(RecommendedScenario {
        scenario: scenario.to_owned(),
        rationale: rationale.to_owned(),
    });
    plan
}

/// The law firm with hostile text in every field the report shows.
fn hostile_law_firm() -> Plan {
    let mut plan = sample("law-firm.ron");
    plan.customer.name = HOSTILE_SCRIPT.to_owned();
    plan.customer.industry = HOSTILE_QUOTES.to_owned();
    plan.customer.contact = format!("{HOSTILE_PIPES} <img src=x onerror=alert(3)>");
    plan.customer.account_manager = HOSTILE_QUOTES.to_owned();
    plan.price_book.name = format!("{HOSTILE_SCRIPT} {HOSTILE_PIPES}");
    plan.price_book.as_of = HOSTILE_QUOTES.to_owned();
    plan.price_book.labor_source = format!("{HOSTILE_SCRIPT} {HOSTILE_QUOTES}");
    plan.workloads[0].name = format!("{HOSTILE_QUOTES} {HOSTILE_PIPES}");
    plan.workloads[1].id = HOSTILE_PIPES.to_owned();
    for scenario in &mut plan.scenarios {
        if let Some(choice) = scenario.choices.remove("sharepoint") {
            scenario.choices.insert(HOSTILE_PIPES.to_owned(), choice);
        }
    }
    plan.workloads[2].name = HOSTILE_SCRIPT.to_owned();
    // Both moving scenarios, so hostile names are drawn in the charts and the recommended
    // one is named in the recommendation.
    plan.scenarios[1].name = format!("{HOSTILE_QUOTES} {HOSTILE_PIPES}");
    plan.scenarios[2].name = format!("{HOSTILE_SCRIPT} & 'x'");
    let recommended = plan.scenarios[2].name.clone();
    recommending(
        plan,
        &recommended,
        &format!("{HOSTILE_SCRIPT} {HOSTILE_PIPES}"),
    )
}

/// Every `&` in `html` starts a character reference (`&amp;`, `&lt;`, `&#39;`, …).
fn assert_ampersands_are_entities(html: &str) {
    for (i, _) in html.match_indices('&') {
        let rest = &html[i + 1..];
        let end = rest.find(';').unwrap_or(0);
        let name = &rest[..end];
        assert!(
            end > 0
                && end < 10
                && (name.chars().all(|c| c.is_ascii_alphanumeric())
                    || name.starts_with('#') && name[1..].chars().all(|c| c.is_ascii_digit())),
            "bare ampersand at {i}: {}",
            &html[i.saturating_sub(40)..(i + 40).min(html.len())]
        );
    }
}

/// The SVG elements of `html`.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(start, _)| {
            let end = html[start..].find("</svg>").expect("closed svg") + start + "</svg>".len();
            &html[start..end]
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------

#[test]
fn html_escapes_hostile_names_everywhere_including_the_charts() {
    let plan = hostile_law_firm();
    let html = html_of(&plan, None);

    assert!(!html.contains("<script"), "unescaped script tag");
    assert!(!html.contains("<img"), "unescaped img tag");
    assert!(!html.contains("\"quotes\""), "unescaped quotes");
    assert_ampersands_are_entities(&html);
    assert!(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert!(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; - "));
    let quotes = "&quot;quotes&quot; &amp; ampersands";
    // Customer facts, price book, workloads, sources.
    assert!(html.contains(&format!("<td>{quotes}</td>")), "industry");
    assert!(html.contains("<td>| pipes | &lt;img src=x onerror=alert(3)&gt;</td>"));
    assert!(
        html.contains(&format!("<td>{quotes} | pipes |</td>")),
        "workload name"
    );
    assert!(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; | pipes |</td>"));
    // The rationale, in the customer's report.
    assert!(html.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; | pipes |</p>"));
    // The MSP's labour source is only in the internal report, escaped there too.
    let internal_html = to_html(&internal(&plan));
    assert!(!internal_html.contains("<script"));
    assert!(internal_html.contains(&format!(
        "<strong>MSP rates and hours per month</strong>: &lt;script&gt;alert(1)&lt;/script&gt; {quotes}</li>"
    )));

    // The scenario names inside both charts, and in the recommendation.
    let moving_a = format!("{quotes} | pipes |");
    let moving_b = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;";
    let charts = svgs(&html);
    assert_eq!(charts.len(), 2);
    for svg in &charts {
        assert!(svg.contains(&format!(">{moving_a}</text>")), "{svg}");
        assert!(
            svg.contains(&format!(">{moving_b} (recommended)</text>")),
            "{svg}"
        );
        assert!(!svg.contains("<script"));
    }
    assert!(
        html.contains(&format!("<strong>Recommended: {moving_b}.</strong>")),
        "recommendation"
    );
    assert!(html.contains(&format!("<th scope=\"col\">{moving_b} (recommended)</th>")));
}

#[test]
fn markdown_escapes_hostile_names() {
    let plan = hostile_law_firm();
    let markdown = markdown_of(&plan, None);

    assert!(
        markdown.starts_with("# \\<script\\>alert(1)\\</script\\>\n"),
        "{markdown}"
    );
    // No tag can open: every `<` is backslash-escaped.
    for (i, _) in markdown.match_indices('<') {
        assert!(i > 0 && &markdown[i - 1..i] == "\\", "unescaped < at {i}");
    }
    assert!(!markdown.contains("<script>"), "{markdown}");
    assert!(markdown.contains("\\| pipes \\| \\<img src=x onerror=alert(3)\\>"));
    assert!(markdown.contains("**Recommended: \\<script\\>alert(1)\\</script\\> & 'x'.**"));
    // Ids only in the internal report, escaped there.
    let internal_markdown = to_markdown(&internal(&plan));
    assert!(
        internal_markdown.contains("| \\| pipes \\| | SharePoint intranet"),
        "workload id cell"
    );
    assert!(!markdown.contains("| \\| pipes \\| | SharePoint intranet"));

    // Every table row has as many cells as its header: no pipe from the plan splits a cell.
    let mut columns = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let bytes = line.as_bytes();
        let cells = (0..bytes.len())
            .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
            .count();
        match columns {
            None => columns = Some(cells),
            Some(n) => assert_eq!(cells, n, "{line}"),
        }
    }
}

#[test]
fn the_command_line_escapes_scenario_names_in_the_charts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut plan = sample("law-firm.ron");
    plan.scenarios[1].name = HOSTILE_SCRIPT.to_owned();
    let path = dir.path().join("hostile.ron");
    std::fs::write(&path, plan_to_ron(&plan)).expect("write");
    let html = run(&["report", path.to_str().expect("path"), "--format", "html"]);
    assert!(!html.contains("<script"));
    let charts = svgs(&html);
    assert_eq!(charts.len(), 2);
    for svg in charts {
        assert!(
            svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{svg}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Self-contained page with two charts
// ---------------------------------------------------------------------------------------------

#[test]
fn html_is_self_contained_with_two_charts_and_no_script() {
    let html = run(&[
        "report",
        sample_path("law-firm.ron").to_str().expect("path"),
        "--format",
        "html",
    ]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<svg").count(), 2, "two charts");
    assert!(!html.to_ascii_lowercase().contains("<script"));
    for external in ["<link", "<img", "src=", "url(", "@import", "<iframe"] {
        assert!(!html.contains(external), "{external}");
    }
    // The only address is the SVG namespace.
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(html.contains("@media print"));
    assert!(html.contains("break-before: page"));

    let charts = svgs(&html);
    let (trade_off, cash_flow) = (charts[0], charts[1]);
    // Trade-off: the frontier, the status quo as a square, two scenario points, % ticks and
    // money ticks with thousands separators.
    assert!(trade_off.contains("class=\"frontier\""));
    assert_eq!(trade_off.matches("<rect class=\"status-quo\"").count(), 1);
    assert_eq!(trade_off.matches("<circle class=\"scenario\"").count(), 2);
    assert!(trade_off.contains(">0 %</text>") && trade_off.contains(">100 %</text>"));
    assert!(trade_off.contains(">350,000</text>"), "{trade_off}");
    assert!(trade_off.contains("TCO over 36 months (USD)"));
    for name in [
        "Status quo",
        "All collaboration to BPOS",
        "Keep anything we need admin on",
    ] {
        assert!(trade_off.contains(&format!(">{name}</text>")), "{name}");
        assert!(cash_flow.contains(&format!(">{name}</text>")), "{name}");
    }
    // Cash flow: one line per scenario, both break-even months marked with their month.
    assert_eq!(cash_flow.matches("<polyline").count(), 3);
    assert_eq!(cash_flow.matches("<circle class=\"break-even\"").count(), 2);
    assert!(cash_flow.contains("Keep anything we need admin on: break-even 2012-08"));
    assert!(cash_flow.contains("All collaboration to BPOS: break-even 2013-01"));
    assert!(cash_flow.contains(">2010-03</text>"));
}

#[test]
fn html_shows_the_customer_and_the_assumptions() {
    let html = html_of(&sample("law-firm.ron"), None);
    for fact in [
        "<tr><th scope=\"row\">Industry</th><td>Legal services</td></tr>",
        "<tr><th scope=\"row\">Seats</th><td>120</td></tr>",
        "<tr><th scope=\"row\">Sites</th><td>2</td></tr>",
        "<tr><th scope=\"row\">Account manager</th><td>Dana Whitfield</td></tr>",
        "<tr><th scope=\"row\">Start month</th><td>2010-03</td></tr>",
        "<tr><th scope=\"row\">Horizon</th><td>36 months (2010-03 to 2013-02)</td></tr>",
        "<tr><th scope=\"row\">Discount rate (for NPV)</th><td>7 % a year</td></tr>",
        "<tr><th scope=\"row\">Growth of recurring cost</th><td>0 % a year</td></tr>",
        "<tr><th scope=\"row\">Price book</th><td>Microsoft cloud at launch (2010)</td></tr>",
        "<tr><th scope=\"row\">Prices as of</th><td>2010-02</td></tr>",
        "<tr><th scope=\"row\">Currency</th><td>USD</td></tr>",
    ] {
        assert!(html.contains(fact), "{fact}");
    }
    assert!(html.contains("<td>Margaret Ellison, Office Manager"));
    for heading in [
        "<h2>Customer</h2>",
        "<h2>Assumptions</h2>",
        "<h2>The options</h2>",
        "<h2>Scenarios</h2>",
        "<h2>Cost and control</h2>",
        "<h2>Workloads</h2>",
        "<h2>Sources of the prices</h2>",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
}

// ---------------------------------------------------------------------------------------------
// Recommendation: the account manager's, or none
// ---------------------------------------------------------------------------------------------

#[test]
fn without_a_recommendation_the_scenarios_are_presented_side_by_side() {
    let path = sample_path("law-firm.ron");
    let path = path.to_str().expect("path");
    let html = run(&["report", path, "--format", "html"]);
    assert!(html.contains("<h2>The options</h2>"));
    assert!(html.contains("The scenarios are presented side by side, without a recommendation"));
    assert!(
        !html.contains("Recommended:"),
        "no scenario is picked by a rule"
    );
    assert!(!html.contains("(recommended)"));
    let markdown = run(&["report", path, "--format", "markdown"]);
    assert!(markdown.contains("## The options\n"));
    assert!(!markdown.contains("Recommended:"));
    let json: Value =
        serde_json::from_str(&run(&["report", path, "--format", "json"])).expect("json");
    assert!(json.get("recommended").is_none());
}

#[test]
fn the_recommended_scenario_is_compared_with_the_cheapest_plan_at_its_control() {
    let plan = recommending(
        sample("law-firm.ron"),
        "Keep anything we need admin on",
        "Keeps admin access to the systems we support.",
    );
    let evaluation = Evaluation::new(&plan);
    let report = build(&plan, &evaluation, None).expect("report");
    let recommended = report.recommended.as_ref().expect("recommended");
    // The scenario: TCO 350,059.75, control 52.47, break-even month 29; saving against the
    // status quo 369,265.68 − 350,059.75 = 19,205.93.
    assert_eq!(recommended.scenario, "Keep anything we need admin on");
    assert_eq!(recommended.tco_cents, 35_005_975);
    assert_eq!(recommended.saving_cents, 1_920_593);
    assert_eq!(recommended.break_even_month, Some(29));
    assert!((recommended.control_score - 52.47).abs() < 1e-9);
    // The cheapest plan with control ≥ 52.47 moves all eleven workloads to Azure IaaS:
    // control (5·0 + 5·50 + 25·100 + 10·100 + 10·100 + 15·70 + 10·90 + 20·20) / 100 = 71.00;
    // run rate = Σ IaaS monthly = 518.70 + 230.85 + 209.85 + 215.10 + 239.10 + 212.10
    // + 688.20 + 222.60 + 507.60 + 421.20 + 807.60 = 4,272.90; TCO = 36 × 4,272.90
    // + 32,668.75 one-time = 186,493.15.
    let best = recommended
        .cheapest_at_control
        .as_ref()
        .expect("frontier plan");
    assert!((best.control_score - 71.0).abs() < 1e-9);
    assert_eq!(best.run_rate_cents, 427_290);
    assert_eq!(best.one_time_cents, 3_266_875);
    assert_eq!(best.tco_cents, 18_649_315);
    assert_eq!(best.moves, 11);
    assert_eq!(
        report.details.charts.cheapest_at_recommended,
        Some([71.0, 18_649_315.0])
    );

    let html = to_html(&report);
    assert!(html.contains("<strong>Recommended: Keep anything we need admin on.</strong>"));
    assert!(html.contains("<p>Keeps admin access to the systems we support.</p>"));
    assert!(html.contains(
        "<strong>19,205.93 USD less</strong> than keeping the status quo (369,265.68 USD)"
    ));
    assert!(html.contains("It breaks even in 2012-08 (FY12 Q3)"));
    assert!(html.contains("a control score of 52.47 % against the status quo's 100.00 %"));
    // 350,059.75 − 186,493.15 = 163,566.60 more; 186,493.15 / 350,059.75 = 53.3 %.
    assert!(html.contains("<strong>The cheapest plan</strong> keeping at least 52.47 % control costs 186,493.15 USD in total (4,272.90 USD a month after its moves, 32,668.75 USD one-time; it moves 11 workloads in the first month and keeps 71.00 %)."), "{html}");
    assert!(html.contains("The recommended scenario costs 163,566.60 USD more over the horizon than that plan (that plan costs 53 % of the recommended scenario's TCO)."));
    assert!(html.contains("<th scope=\"col\">Keep anything we need admin on (recommended)</th>"));
    let charts = svgs(&html);
    assert!(charts[0].contains("class=\"cheapest\""));
    assert!(charts[0].contains(">Keep anything we need admin on (recommended)</text>"));
    assert!(charts[0].contains(">Cheapest at that control</text>"));

    // The same figures for tools.
    let json: Value = serde_json::from_str(&keyholder::report::to_json(&report)).expect("json");
    assert_eq!(
        json["recommended"]["scenario"],
        "Keep anything we need admin on"
    );
    assert_eq!(
        json["recommended"]["cheapest_at_control"]["tco_cents"],
        18_649_315
    );
    assert_eq!(
        json["recommended"]["cheapest_at_control"]["control_score"],
        71.0
    );
}

#[test]
fn a_recommendation_dearer_than_the_status_quo_says_so() {
    // "All collaboration to BPOS" with a larger migration: it no longer breaks even.
    let mut plan = recommending(sample("law-firm.ron"), "All collaboration to BPOS", "");
    plan.price_book
        .destinations
        .get_mut(keyholder::model::Destination::Bpos)
        .migration_hours
        .per_workload = keyholder::model::Decimal::from(200);
    let evaluation = Evaluation::new(&plan);
    let report = build(&plan, &evaluation, None).expect("report");
    let recommended = report.recommended.as_ref().expect("recommended");
    assert!(recommended.saving_cents < 0);
    assert_eq!(recommended.break_even_month, None);
    let markdown = to_markdown(&report);
    assert!(markdown.contains("**Recommended: All collaboration to BPOS.**"));
    assert!(markdown.contains(&format!(
        "{} USD more than keeping the status quo (369,265.68 USD)",
        keyholder::model::format_cents(-recommended.saving_cents)
    )));
    assert!(markdown.contains("It does not break even within the horizon."));
}

// ---------------------------------------------------------------------------------------------
// Markdown sections and focus
// ---------------------------------------------------------------------------------------------

#[test]
fn markdown_has_every_section_in_order() {
    let markdown = run(&[
        "report",
        sample_path("law-firm.ron").to_str().expect("path"),
        "--format",
        "markdown",
    ]);
    assert!(markdown.starts_with("# Harlow & Finch LLP\n"));
    let headings = [
        "\n## Customer\n",
        "\n## Assumptions\n",
        "\n## The options\n",
        "\n## Scenarios\n",
        "\n## Cost and control\n",
        "\n## Workloads\n",
        "\n## Sources of the prices\n",
    ];
    let positions: Vec<usize> = headings
        .iter()
        .map(|h| markdown.find(h).unwrap_or_else(|| panic!("{h:?} missing")))
        .collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "{positions:?}");
    assert!(markdown.contains("- Industry: Legal services\n"));
    assert!(markdown.contains("- Horizon: 36 months (2010-03 to 2013-02)\n"));
    assert!(markdown.contains("| Break-even | none | 2013-01 (month 34) | 2012-08 (month 29) |"));
    assert!(markdown.contains("| Run rate per month | 10,257.38 USD |"));
    assert!(!markdown.contains("<svg"));
}

#[test]
fn a_focused_report_details_one_scenario_and_still_recommends_over_all() {
    let plan = recommending(sample("law-firm.ron"), "Keep anything we need admin on", "");
    let focus = "All collaboration to BPOS";
    let evaluation = Evaluation::new(&plan);
    let report = build(&plan, &evaluation, Some(focus)).expect("report");
    assert_eq!(report.scenarios.len(), 1);
    let names: Vec<&str> = report
        .details
        .charts
        .series
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Status quo", focus]);

    let html = to_html(&report);
    assert!(html.contains(&format!("<h2>Workloads in &ldquo;{focus}&rdquo;</h2>")));
    assert!(html.contains("<th scope=\"col\">Choice</th>"));
    assert!(html.contains("<strong>Recommended: Keep anything we need admin on.</strong>"));
    assert!(html.contains(&format!(
        "This report details the scenario <strong>{focus}</strong>"
    )));
    let charts = svgs(&html);
    assert_eq!(charts.len(), 2);
    assert!(!charts[0].contains(">Keep anything we need admin on</text>"));
    assert_eq!(charts[1].matches("<polyline").count(), 2);

    let markdown = to_markdown(&report);
    assert!(markdown.contains(&format!("## Workloads in \"{focus}\"")));
    assert!(markdown.contains("| Choice | Move month | Monthly after | Control after |"));
}

#[test]
fn a_plan_without_workloads_still_gives_a_whole_page() {
    let book = keyholder::storage::default_price_book().expect("price book");
    let plan = Plan::new("Empty & Co", keyholder::model::YearMonth::default(), book);
    let evaluation = Evaluation::new(&plan);
    let report = build(&plan, &evaluation, None).expect("report");
    assert_eq!(report.recommended, None);
    let html = to_html(&report);
    assert_eq!(html.matches("<svg").count(), 2);
    for svg in svgs(&html) {
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
    assert!(html.trim_end().ends_with("</html>"));
    assert!(to_markdown(&report).contains("## The options"));
}
