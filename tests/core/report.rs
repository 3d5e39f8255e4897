//! The customer report (`keyholder report --format html|markdown`, File ▸ Export ▸ Report…):
//! every text from the plan escaped (in the charts too), two inline SVG charts and no script,
//! the recommendation computed by its documented rule, the Markdown's sections.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use keyholder::model::{Decimal, Destination, Evaluation, Plan, format_cents};
use keyholder::report::{Recommendation, build, to_html, to_markdown};
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
    plan
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
    assert!(html.contains(&format!(
        "<strong>MSP rates and hours per month</strong>: &lt;script&gt;alert(1)&lt;/script&gt; {quotes}</li>"
    )));

    // The scenario names inside both charts, and in the recommendation.
    let moving_a = format!("{quotes} | pipes |");
    let moving_b = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;";
    let charts = svgs(&html);
    assert_eq!(charts.len(), 2);
    for svg in &charts {
        assert!(svg.contains(&format!(">{moving_a}</text>")), "{svg}");
        assert!(svg.contains(&format!(">{moving_b}</text>")), "{svg}");
        assert!(!svg.contains("<script"));
    }
    assert!(
        html.contains(&format!("<strong>Recommended: {moving_b}.</strong>")),
        "recommendation"
    );
    assert!(html.contains(&format!("<th scope=\"col\">{moving_b}</th>")));
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
    assert!(
        markdown.contains("| \\| pipes \\| | SharePoint intranet"),
        "workload id cell"
    );

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
        "<h2>Recommendation</h2>",
        "<h2>Scenarios</h2>",
        "<h2>Cost and control</h2>",
        "<h2>Workloads</h2>",
        "<h2>Sources of the prices</h2>",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
}

// ---------------------------------------------------------------------------------------------
// Recommendation
// ---------------------------------------------------------------------------------------------

/// The rule, applied to `keyholder report --format json`: among the scenarios that break
/// even (only scenarios that move something can), the lowest TCO; (name, saving in cents).
fn recommended_by_the_rule(json: &Value) -> (String, i64) {
    let scenarios = json["scenarios"].as_array().expect("scenarios");
    let status_quo_tco = scenarios
        .iter()
        .find(|s| s["name"] == "Status quo")
        .and_then(|s| s["tco_cents"].as_i64())
        .expect("status quo");
    let best = scenarios
        .iter()
        .filter(|s| !s["break_even_month"].is_null())
        .min_by_key(|s| s["tco_cents"].as_i64().expect("tco"))
        .expect("a scenario breaks even");
    (
        best["name"].as_str().expect("name").to_owned(),
        status_quo_tco - best["tco_cents"].as_i64().expect("tco"),
    )
}

#[test]
fn the_law_firm_is_recommended_the_scenario_that_breaks_even_cheapest() {
    let path = sample_path("law-firm.ron");
    let path = path.to_str().expect("path");
    let json: Value =
        serde_json::from_str(&run(&["report", path, "--format", "json"])).expect("json");
    let (name, saving) = recommended_by_the_rule(&json);
    // Both moving scenarios break even (months 34 and 29); "Keep anything we need admin on"
    // has the lower TCO: 369,265.68 − 350,059.75 = 19,205.93 saved over 36 months.
    assert_eq!(name, "Keep anything we need admin on");
    assert_eq!(saving, 1_920_593);
    let saving = format_cents(saving);
    assert_eq!(saving, "19,205.93");

    let html = run(&["report", path, "--format", "html"]);
    assert!(
        html.contains(&format!("<strong>Recommended: {name}.</strong>")),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<strong>{saving} USD less</strong> than keeping the status quo (369,265.68 USD)"
    )));
    // Break-even as a calendar month: month 29 from 2010-03.
    assert!(html.contains("It breaks even in 2012-08 (FY12 Q3)"));
    assert!(html.contains("a control score of 52.47 % against the status quo's 100.00 %"));
    // The rule is stated in the report.
    assert!(html.contains("How this is chosen: among the scenarios that move at least one workload and break even within the horizon, the one with the lowest total cost of ownership (TCO)"));

    let markdown = run(&["report", path, "--format", "markdown"]);
    assert!(markdown.contains(&format!("**Recommended: {name}.**")));
    assert!(markdown.contains(&format!("**{saving} USD less**")));

    let evaluation = Evaluation::new(&sample("law-firm.ron"));
    let report = build(&sample("law-firm.ron"), &evaluation, None).expect("report");
    assert_eq!(
        report.details.recommendation,
        Some(Recommendation::Scenario {
            name,
            tco_cents: 35_005_975,
            saving_cents: 1_920_593,
            break_even_month: 29,
            break_even_label: "2012-08 (FY12 Q3)".to_owned(),
            control: 52.47,
        })
    );
}

#[test]
fn with_no_scenario_breaking_even_the_report_recommends_the_status_quo() {
    // The largest migration effort a plan may hold (10,000 hours a workload) on every
    // destination: no move pays for itself in 36 months.
    let mut plan = sample("law-firm.ron");
    for destination in Destination::ALL {
        plan.price_book
            .destinations
            .get_mut(destination)
            .migration_hours
            .per_workload = Decimal::from(keyholder::model::bounds::MAX_HOURS);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("expensive-moves.ron");
    std::fs::write(&path, plan_to_ron(&plan)).expect("write");
    let path = path.to_str().expect("path");
    let json: Value =
        serde_json::from_str(&run(&["report", path, "--format", "json"])).expect("json");
    let scenarios = json["scenarios"].as_array().expect("scenarios");
    assert!(scenarios.iter().all(|s| s["break_even_month"].is_null()));
    // Closest to breaking even: the moving scenario with the lowest TCO.
    let status_quo_tco = scenarios[0]["tco_cents"].as_i64().expect("tco");
    let closest = scenarios[1..]
        .iter()
        .min_by_key(|s| s["tco_cents"].as_i64().expect("tco"))
        .expect("moving scenarios");
    let closest_name = closest["name"].as_str().expect("name");
    let extra = format_cents(closest["tco_cents"].as_i64().expect("tco") - status_quo_tco);

    let html = run(&["report", path, "--format", "html"]);
    assert!(html.contains("<strong>Recommended: keep the status quo.</strong>"));
    assert!(html.contains(
        "No scenario breaks even within the 36-month horizon, so keeping the status quo is cheapest over the horizon: 369,265.68 USD in total."
    ));
    assert!(
        html.contains(&format!(
            "The scenario closest to breaking even is <strong>{closest_name}</strong>"
        )),
        "{closest_name}"
    );
    assert!(html.contains(&format!("{extra} USD more than the status quo")));
    assert!(!html.contains("<strong>Recommended: All"));
    assert!(!html.contains("<strong>Recommended: Keep anything"));
    // No break-even ring in the cash-flow chart.
    assert!(!html.contains("<circle class=\"break-even\""));

    let markdown = run(&["report", path, "--format", "markdown"]);
    assert!(markdown.contains("**Recommended: keep the status quo.**"));
    assert!(markdown.contains("keeping the status quo is cheapest over the horizon"));
}

#[test]
fn a_horizon_before_any_move_recommends_the_status_quo() {
    // Every move of the law firm is in month 3 or later.
    let mut plan = sample("law-firm.ron");
    plan.assumptions.horizon_months = 3;
    let evaluation = Evaluation::new(&plan);
    let report = build(&plan, &evaluation, None).expect("report");
    assert_eq!(
        report.details.recommendation,
        Some(Recommendation::StatusQuo { closest: None })
    );
    let html = to_html(&report);
    assert!(html.contains("keeping the status quo is cheapest over the horizon"));
    assert!(html.contains("None of the plan's scenarios moves a workload within the horizon."));
    assert_eq!(html.matches("<svg").count(), 2);
    // Only the status quo is drawn: the other scenarios move nothing within the horizon.
    assert_eq!(report.details.charts.series.len(), 1);
    assert!(to_markdown(&report).contains("Recommended: keep the status quo."));
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
        "\n## Recommendation\n",
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
    let plan = sample("law-firm.ron");
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
    assert_eq!(
        report.details.recommendation,
        Some(Recommendation::StatusQuo { closest: None })
    );
    let html = to_html(&report);
    assert_eq!(html.matches("<svg").count(), 2);
    for svg in svgs(&html) {
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
    assert!(html.trim_end().ends_with("</html>"));
    assert!(to_markdown(&report).contains("## Recommendation"));
}
