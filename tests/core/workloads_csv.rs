//! Workloads as CSV (issue 5, item 6): an export Excel opens cleanly and that cannot run
//! formulas, and an import that updates workloads by id, row by row.

use keyholder::import::{
    CsvUpdate, WORKLOAD_CSV_COLUMNS, apply_workloads_csv, neutralize_formula, unneutralize_formula,
    workloads_to_csv,
};
use keyholder::model::{
    Category, Criticality, Decimal, Destination, Plan, Workload, allowed_destinations,
};
use keyholder::storage::sample_plan;
use proptest::prelude::*;
use proptest::sample::Index;

const HEADER: &str = "id,name,category,users,servers,storage_gb,egress_gb_per_month,criticality,current,current_monthly_override,needs_os_admin,data_must_stay_onsite,custom_code,notes";

fn sample() -> Plan {
    sample_plan().expect("the sample plan")
}

fn plan_with(workloads: Vec<Workload>) -> Plan {
    let mut plan = sample();
    plan.workloads = workloads;
    plan
}

fn apply(plan: &Plan, text: &str) -> CsvUpdate {
    apply_workloads_csv(plan, text).expect("the CSV applies")
}

fn decimal(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// A workload with every column set to something other than the default.
fn hostile() -> Workload {
    let mut w = Workload::new("=cmd|' /C calc'!A0", "=SUM(A1)", Category::Database);
    w.users = 1_250;
    w.servers = 3;
    w.storage_gb = decimal("1234.5");
    w.egress_gb_per_month = decimal("0.25");
    w.criticality = Criticality::Critical;
    w.current = Destination::MspHosted;
    w.current_monthly_override_cents = Some(50_000);
    w.constraints.needs_os_admin = true;
    w.constraints.custom_code = true;
    w.notes = "@home, \"quoted\"\nsecond line".to_owned();
    w
}

// ---------------------------------------------------------------------------------------
// Export

#[test]
fn export_has_a_bom_a_header_and_plain_rows() {
    let plan = plan_with(vec![
        hostile(),
        Workload::new("mail", "Mail", Category::Email),
    ]);
    let csv = workloads_to_csv(&plan);
    assert!(
        csv.starts_with('\u{feff}'),
        "UTF-8 byte-order mark for Excel"
    );
    let expected = format!(
        "\u{feff}{HEADER}\r\n\
         '=cmd|' /C calc'!A0,'=SUM(A1),database,1250,3,1234.5,0.25,critical,msp_hosted,500.00,true,false,true,\"'@home, \"\"quoted\"\"\nsecond line\"\r\n\
         mail,Mail,email,0,1,0,0,medium,on_premises,,false,false,false,\r\n"
    );
    assert_eq!(csv, expected);
    assert_eq!(WORKLOAD_CSV_COLUMNS.join(","), HEADER);
}

#[test]
fn numbers_are_plain_and_never_neutralised() {
    let mut w = Workload::new("big", "Big", Category::FileServer);
    w.users = 1_000_000;
    w.storage_gb = decimal("1234567.890");
    w.egress_gb_per_month = decimal("12000");
    w.current_monthly_override_cents = Some(123_456_789);
    let csv = workloads_to_csv(&plan_with(vec![w]));
    let row = csv.lines().nth(1).expect("a row");
    assert_eq!(
        row,
        "big,Big,file_server,1000000,1,1234567.89,12000,medium,on_premises,1234567.89,false,false,false,"
    );
}

#[test]
fn every_text_cell_that_could_be_a_formula_is_neutralised() {
    let triggers = ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"];
    let workloads = triggers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut w = Workload::new(&format!("{t}{i}"), t, Category::Other);
            w.notes = (*t).to_owned();
            w
        })
        .collect();
    let csv = workloads_to_csv(&plan_with(workloads));
    let text = csv.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.expect("valid CSV");
        for column in [0, 1, 13] {
            let cell = &record[column];
            assert!(cell.starts_with('\''), "column {column}: {cell:?}");
        }
        for (column, cell) in record.iter().enumerate() {
            if ![0, 1, 13].contains(&column) {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']),
                    "{cell:?}"
                );
            }
        }
    }
}

#[test]
fn the_sample_plan_exports_one_row_per_workload() {
    let plan = sample();
    let csv = workloads_to_csv(&plan);
    let text = csv.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        WORKLOAD_CSV_COLUMNS
    );
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[0].to_owned())
        .collect();
    let expected: Vec<String> = plan.workloads.iter().map(|w| w.id.clone()).collect();
    assert_eq!(ids, expected);
}

// ---------------------------------------------------------------------------------------
// Round trip

#[test]
fn the_sample_plan_round_trips() {
    let plan = sample();
    let update = apply(&plan, &workloads_to_csv(&plan));
    assert_eq!(update.workloads, plan.workloads);
    assert!(update.updated.is_empty(), "{:?}", update.updated);
    assert!(update.added.is_empty());
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    assert!(update.ignored_columns.is_empty());
    assert!(!update.changes_plan());
}

#[test]
fn a_colleagues_export_updates_the_plan_by_id() {
    let mine = sample();
    let mut theirs = mine.clone();
    theirs.workloads[0].name = "Exchange 2010".to_owned();
    theirs.workloads[0].users = 130;
    theirs.workloads[2].notes = "=HYPERLINK(\"http://evil\")".to_owned();
    theirs.workloads[3].current_monthly_override_cents = Some(12_345);
    // Their order differs; ours is kept.
    theirs.workloads.reverse();
    let mut payroll = Workload::new("payroll", "Payroll", Category::LineOfBusiness);
    payroll.users = 12;
    theirs.workloads.push(payroll.clone());

    let update = apply(&mine, &workloads_to_csv(&theirs));
    let mut expected = mine.workloads.clone();
    for w in &mut expected {
        *w = theirs.workload(&w.id).expect("same ids").clone();
    }
    expected.push(payroll);
    assert_eq!(update.workloads, expected);
    let mut updated = update.updated.clone();
    updated.sort();
    let mut expected_updated = vec![
        mine.workloads[0].id.clone(),
        mine.workloads[2].id.clone(),
        mine.workloads[3].id.clone(),
    ];
    expected_updated.sort();
    assert_eq!(updated, expected_updated);
    assert_eq!(update.added, ["payroll"]);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
}

fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("=SUM(A1)".to_owned()),
        Just("-5 dollars".to_owned()),
        Just("@home".to_owned()),
        Just("+44 20 7946 0000".to_owned()),
        Just("'=already quoted".to_owned()),
        Just("''@twice".to_owned()),
        Just("'t Hooft".to_owned()),
        Just("\"quoted\", with a comma".to_owned()),
        Just("line one\nline two".to_owned()),
        Just("windows\r\nline".to_owned()),
        Just("\ttabbed".to_owned()),
        Just("  padded  ".to_owned()),
        Just("Zürich – 東京 – Ελλάδα 🚀".to_owned()),
        Just("semi;colon".to_owned()),
        "[\\PC\\n\\r\\t\",;'=+@-]{0,24}",
    ]
}

fn workload_strategy() -> impl Strategy<Value = (Workload, Index)> {
    (
        (
            awkward_text().prop_filter("a name", |s| !s.trim().is_empty()),
            any::<Index>(),
            // Within the plan's bounds (`model::bounds`), so that every row is kept: a row
            // past a bound is rejected, which `inventory::rows_over_a_bound_…` tests.
            0_u32..=100_000,
            0_u32..=1_000,
            (0_i64..=1_000_000, 0_u32..=6),
            (0_i64..=1_000_000, 0_u32..=6),
        ),
        (
            any::<Index>(),
            proptest::option::of(0_i64..=1_000_000_000),
            any::<(bool, bool, bool)>(),
            awkward_text(),
            any::<Index>(),
        ),
    )
        .prop_map(
            |(
                (name, category, users, servers, storage, egress),
                (criticality, override_cents, constraints, notes, current),
            )| {
                let mut w = Workload::new("id", &name, *category.get(&Category::ALL));
                w.users = users;
                w.servers = servers;
                // Values are at most 10^6: scale the mantissa down with the decimals.
                w.storage_gb = Decimal::new(storage.0 / 10_i64.pow(storage.1), storage.1);
                w.egress_gb_per_month = Decimal::new(egress.0 / 10_i64.pow(egress.1), egress.1);
                w.criticality = *criticality.get(&Criticality::ALL);
                w.current_monthly_override_cents = override_cents;
                w.constraints.needs_os_admin = constraints.0;
                w.constraints.data_must_stay_onsite = constraints.1;
                w.constraints.custom_code = constraints.2;
                w.notes = notes;
                (w, current)
            },
        )
}

fn id_prefix() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("=".to_owned()),
        Just("-".to_owned()),
        Just("@".to_owned()),
        Just("'=".to_owned()),
        Just("a,b".to_owned()),
        Just("\"q\"".to_owned()),
        Just("ünï".to_owned()),
        "[a-z0-9=+@',\"-]{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Exporting a plan and applying the CSV to the same plan changes nothing.
    #[test]
    fn export_then_apply_gives_the_same_workloads(
        generated in prop::collection::vec((workload_strategy(), id_prefix()), 0..12),
    ) {
        let book = sample().price_book;
        let workloads: Vec<Workload> = generated
            .into_iter()
            .enumerate()
            .map(|(i, ((mut w, current), prefix))| {
                w.id = format!("{prefix}{i}");
                let allowed = allowed_destinations(&book, &w);
                w.current = *current.get(&allowed);
                w
            })
            .collect();
        let plan = plan_with(workloads);
        let csv = workloads_to_csv(&plan);
        let update = apply_workloads_csv(&plan, &csv).map_err(TestCaseError::fail)?;
        prop_assert!(update.rejected.is_empty(), "{:?}\n{csv}", update.rejected);
        prop_assert_eq!(&update.workloads, &plan.workloads, "{}", csv);
        prop_assert!(update.updated.is_empty(), "{:?}", update.updated);
        prop_assert!(update.added.is_empty());

        // And into an empty plan, every workload comes back as an addition.
        let empty = plan_with(Vec::new());
        let update = apply_workloads_csv(&empty, &csv).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&update.workloads, &plan.workloads);
        prop_assert_eq!(update.added.len(), plan.workloads.len());
    }

    /// Neutralising and restoring a cell gives back the text, whatever it is.
    #[test]
    fn neutralising_is_undone_exactly(text in "\\PC{0,12}|['=+@\\t\\r-]{0,4}\\PC{0,4}") {
        let cell = neutralize_formula(&text);
        prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']));
        prop_assert_eq!(unneutralize_formula(&cell), text.as_str());
    }
}

// ---------------------------------------------------------------------------------------
// Excel

#[test]
fn an_excel_file_with_crlf_and_a_bom_applies() {
    let plan = sample();
    let text = format!(
        "\u{feff}{HEADER}\r\n\
         exchange,Exchange 2010,email,130,2,700,40,critical,on_premises,,FALSE,FALSE,FALSE,Upgraded\r\n\
         dynamics,Dynamics CRM,crm,25,1,20,1,high,on_premises,1250.5,TRUE,FALSE,TRUE,\"two\r\nlines\"\r\n"
    );
    let update = apply(&plan, &text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    let exchange = update
        .workloads
        .iter()
        .find(|w| w.id == "exchange")
        .expect("exchange");
    assert_eq!(exchange.name, "Exchange 2010");
    assert_eq!(exchange.users, 130);
    assert_eq!(exchange.storage_gb, decimal("700"));
    assert_eq!(exchange.notes, "Upgraded");
    assert_eq!(update.updated, ["exchange"]);
    let crm = update.workloads.last().expect("dynamics");
    assert_eq!(update.added, ["dynamics"]);
    assert_eq!(crm.category, Category::Crm);
    assert_eq!(crm.current_monthly_override_cents, Some(125_050));
    assert!(crm.constraints.needs_os_admin && crm.constraints.custom_code);
    assert_eq!(crm.notes, "two\r\nlines");
    assert_eq!(update.workloads.len(), plan.workloads.len() + 1);
}

#[test]
fn a_neutralised_hyperlink_comes_back_as_typed() {
    let plan = sample();
    let text = format!(
        "\u{feff}{HEADER}\r\n\
         exchange,'=HYPERLINK(\"http://example.com\"),email,120,2,650,40,critical,on_premises,,false,false,false,'@home\r\n"
    );
    let update = apply(&plan, &text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    assert_eq!(
        update.workloads[0].name,
        "=HYPERLINK(\"http://example.com\")"
    );
    assert_eq!(update.workloads[0].notes, "@home");
    // An apostrophe before ordinary text is the text's own.
    let text = format!("{HEADER}\nexchange,'t Hooft,email\n");
    assert_eq!(apply(&plan, &text).workloads[0].name, "'t Hooft");
}

#[test]
fn a_semicolon_file_with_decimal_commas_applies() {
    // What Excel writes where the decimal separator is a comma. The sample's scenarios move
    // Exchange to BPOS, which OS admin rules out: without those moves the flag is valid.
    let mut plan = sample();
    for scenario in &mut plan.scenarios {
        scenario.choices.remove("exchange");
    }
    let text = "\u{feff}id;name;category;storage_gb;current_monthly_override;needs_os_admin\r\n\
                exchange;Exchange;email;1234,5;1250,50;WAHR\r\n";
    let update = apply(&plan, text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    let w = &update.workloads[0];
    assert_eq!(w.storage_gb, decimal("1234.5"));
    assert_eq!(w.current_monthly_override_cents, Some(125_050));
    assert!(w.constraints.needs_os_admin);
}

// ---------------------------------------------------------------------------------------
// Header

#[test]
fn columns_are_found_by_name_in_any_order_and_missing_ones_keep_values() {
    let plan = sample();
    let before = plan.workload("exchange").expect("exchange").clone();
    let text = " Notes ,USERS,Storage (GB),  ID  ,Colour\nnew notes,99,12.5,exchange,blue\n";
    let update = apply(&plan, text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    let after = &update.workloads[0];
    assert_eq!(after.notes, "new notes");
    assert_eq!(after.users, 99);
    assert_eq!(after.storage_gb, decimal("12.5"));
    // Everything else as it was.
    let mut expected = before;
    expected.notes = "new notes".to_owned();
    expected.users = 99;
    expected.storage_gb = decimal("12.5");
    assert_eq!(after, &expected);
    assert_eq!(update.ignored_columns, ["Colour"]);
    assert_eq!(&update.workloads[1..], &plan.workloads[1..]);
}

#[test]
fn empty_key_number_and_flag_cells_keep_values_and_an_empty_override_clears_it() {
    let mut plan = sample();
    plan.workloads[0].current_monthly_override_cents = Some(99_00);
    plan.workloads[0].constraints.needs_os_admin = true;
    // The sample's scenarios move Exchange to BPOS, which OS admin rules out.
    for scenario in &mut plan.scenarios {
        scenario.choices.remove("exchange");
    }
    let text = format!("{HEADER}\nexchange,Exchange 2007,,,,,,,,,,,,\n");
    let update = apply(&plan, &text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    let mut expected = plan.workloads[0].clone();
    expected.current_monthly_override_cents = None;
    expected.notes = String::new();
    assert_eq!(update.workloads[0], expected);
}

#[test]
fn cells_a_short_row_lacks_keep_values() {
    let mut plan = sample();
    plan.workloads[0].current_monthly_override_cents = Some(99_00);
    let text = format!("{HEADER}\nexchange,Exchange 2013\n");
    let update = apply(&plan, &text);
    let mut expected = plan.workloads[0].clone();
    expected.name = "Exchange 2013".to_owned();
    assert_eq!(update.workloads[0], expected);
    assert_eq!(update.updated, ["exchange"]);
}

#[test]
fn a_header_without_an_id_or_an_empty_file_is_refused() {
    let plan = sample();
    let error = apply_workloads_csv(&plan, "name,users\nExchange,5\n").expect_err("no id");
    assert!(error.starts_with("1: "), "{error}");
    assert!(error.contains("\"id\""), "{error}");
    let error = apply_workloads_csv(&plan, "\u{feff}\r\n").expect_err("empty");
    assert!(error.starts_with("1: "), "{error}");
    let error = apply_workloads_csv(&plan, "id,ID\nx,y\n").expect_err("twice");
    assert!(error.contains("twice"), "{error}");
}

// ---------------------------------------------------------------------------------------
// Rows

#[test]
fn bad_rows_are_rejected_with_their_line_and_the_rest_applied() {
    let plan = sample();
    let text = format!(
        "\u{feff}{HEADER}\r\n\
         exchange,Exchange,email,-5,2,650,40,critical,on_premises,,false,false,false,\"a note\r\nover two lines\"\r\n\
         sharepoint,SharePoint 2010,collaboration,120,1,150,5,medium,on_premises,,false,false,false,\r\n\
         \r\n\
         newdb,New DB,database,1,1,1,1,medium,bpos,,false,false,false,\r\n\
         newthing,,other\r\n\
         other,Other,spreadsheet\r\n\
         mail2,Mail,email,1,1,1,1,urgent\r\n\
         mail3,Mail,email,1,1,1,1,low,mars\r\n\
         mail4,Mail,email,1.5\r\n\
         mail5,Mail,email,1,1,abc\r\n\
         mail6,Mail,email,1,1,1,1,low,bpos,,maybe\r\n\
         mail7,Mail,email,1,1,1,1,low,bpos,,false,false,true\r\n\
         mail8,Mail,email,1,1,1,1,low,on_premises,12.345\r\n\
         sharepoint,Again,collaboration\r\n\
         good,Good,web_application,10,1,5,1,low,azure_paas,,false,false,false,fine\r\n"
    );
    let update = apply(&plan, &text);
    let lines: Vec<(u64, &str)> = update
        .rejected
        .iter()
        .map(|r| (r.line, r.message.as_str()))
        .collect();
    let expect = |line: u64, needle: &str| {
        assert!(
            lines.iter().any(|(l, m)| *l == line && m.contains(needle)),
            "line {line} should be rejected with {needle:?}: {lines:#?}"
        );
    };
    expect(2, "users must not be negative");
    expect(6, "BPOS cannot host a database workload");
    expect(7, "the name is empty");
    expect(8, "category \"spreadsheet\" is not one of");
    expect(9, "criticality \"urgent\"");
    expect(10, "current destination \"mars\"");
    expect(11, "users must be a whole number");
    expect(12, "storage_gb is not a number");
    expect(13, "needs_os_admin must be true or false");
    expect(14, "BPOS is ruled out: it runs custom code");
    expect(15, "more than two decimals");
    expect(16, "id \"sharepoint\" is already on line 4");
    assert_eq!(lines.len(), 12, "{lines:#?}");
    assert_eq!(update.updated, ["sharepoint"]);
    assert_eq!(update.added, ["good"]);
    assert_eq!(
        update.workloads[0], plan.workloads[0],
        "rejected row untouched"
    );
    assert_eq!(update.workloads[1].name, "SharePoint 2010");
    let good = update.workloads.last().expect("good");
    assert_eq!(good.current, Destination::AzurePaas);
    assert_eq!(good.notes, "fine");
}

#[test]
fn a_new_workload_needs_a_name_and_a_category_and_gets_defaults() {
    let plan = sample();
    let text =
        "id,name,category\nfresh,Fresh,directory / identity\nnocat,No category,\nnoname,,email\n";
    let update = apply(&plan, text);
    assert_eq!(update.added, ["fresh"]);
    let fresh = update.workloads.last().expect("fresh");
    assert_eq!(
        fresh,
        &Workload::new("fresh", "Fresh", Category::Directory),
        "defaults of a new workload"
    );
    let messages: Vec<&str> = update.rejected.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(update.rejected[0].line, 3);
    assert!(messages[0].contains("needs a category"), "{messages:?}");
    assert_eq!(update.rejected[1].line, 4);
    assert!(messages[1].contains("name is empty"), "{messages:?}");
}

#[test]
fn a_row_without_an_id_gets_one_from_its_name() {
    let plan = sample();
    let text = "id,name,category\n,Exchange,email\n,New Mail!,email\nnew-mail,Named,email\n";
    let update = apply(&plan, text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    // "exchange" is taken by the plan, "new-mail" by a later row of the file.
    assert_eq!(update.added, ["exchange-2", "new-mail-2", "new-mail"]);
}

#[test]
fn labels_and_loose_spellings_of_keys_are_read() {
    let plan = sample();
    let text =
        "id,category,criticality,current\nsql,Line-of-business application, HIGH ,Azure IaaS\n";
    let update = apply(&plan, text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    let sql = update
        .workloads
        .iter()
        .find(|w| w.id == "sql")
        .expect("sql");
    assert_eq!(sql.category, Category::LineOfBusiness);
    assert_eq!(sql.criticality, Criticality::High);
    assert_eq!(sql.current, Destination::AzureIaas);
}

#[test]
fn a_row_that_changes_nothing_is_not_rejected_even_in_a_broken_plan() {
    // A plan that already breaks a rule (email on Azure PaaS): re-applying its own export
    // does not reject the row, but changing the row without fixing it does.
    let mut plan = sample();
    plan.workloads[0].current = Destination::AzurePaas;
    let csv = workloads_to_csv(&plan);
    let update = apply(&plan, &csv);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    let text = format!("{HEADER}\nexchange,Renamed,email,,,,,,azure_paas\n");
    let update = apply(&plan, &text);
    assert_eq!(update.rejected.len(), 1);
    assert!(
        update.rejected[0]
            .message
            .contains("Azure PaaS cannot host"),
        "{:?}",
        update.rejected
    );
}

#[test]
fn malformed_csv_rows_are_rejected_not_fatal() {
    let plan = sample();
    // A quote that is never closed would swallow the rest of the file as one cell: the row
    // is reported rather than applied with a wrong name.
    let text = "id,name,category,users\nexchange,Mail,email,7\nsharepoint,\"Open quote,collaboration,3\nocs,OCS,unified_communications,1\n";
    let update = apply(&plan, text);
    assert_eq!(update.updated, ["exchange"]);
    assert_eq!(update.workloads[0].users, 7);
    assert_eq!(update.rejected.len(), 1, "{:?}", update.rejected);
    assert_eq!(update.rejected[0].line, 3);
    assert!(update.rejected[0].message.contains("never closed"));
    // A quote inside an unquoted cell is just a character.
    let text = "id,name\nexchange,Monitor 24\" wall\n";
    let update = apply(&plan, text);
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    assert_eq!(update.workloads[0].name, "Monitor 24\" wall");
}

#[test]
fn a_point_after_the_last_comma_is_a_decimal_point_even_in_a_semicolon_file() {
    let plan = keyholder::storage::sample_plan().expect("sample");
    let update = keyholder::import::apply_workloads_csv(
        &plan,
        "id;storage_gb\nexchange;1,250.5\nsharepoint;1.250,5\n",
    )
    .expect("read");
    let storage = |id: &str| {
        update
            .workloads
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.storage_gb.to_string())
    };
    assert_eq!(storage("exchange").as_deref(), Some("1250.5"));
    assert_eq!(storage("sharepoint").as_deref(), Some("1250.5"));
}

// ---------------------------------------------------------------------------------------
// Hostile files (issue 8, item 5): the same reading as the inventory import

#[test]
fn line_numbers_are_right_for_cr_only_files() {
    let plan = sample();
    // Classic Mac line ends: line 3 is a row whose users are negative.
    let text = "id,name,users\rexchange,Mail,7\rsharepoint,SP,-1\rocs,OCS,2\r";
    let update = apply(&plan, text);
    let lines: Vec<u64> = update.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3], "{:?}", update.rejected);
    assert_eq!(update.updated, ["exchange", "ocs"]);
    assert_eq!(update.rows_read, 3);
}

#[test]
fn a_tab_separated_file_applies_and_an_unknown_separator_is_named() {
    let plan = sample();
    let update = apply(&plan, "id\tusers\tstorage_gb\nexchange\t75\t650,5\n");
    assert!(update.rejected.is_empty(), "{:?}", update.rejected);
    assert_eq!(update.separator, keyholder::import::Separator::Tab);
    assert_eq!(update.workloads[0].users, 75);
    assert_eq!(update.workloads[0].storage_gb, decimal("650.5"));
    let error = apply_workloads_csv(&plan, "id|users\nexchange|75\n").expect_err("pipes");
    assert!(error.starts_with("1: "), "{error}");
    assert!(error.contains("\"|\""), "{error}");
}

#[test]
fn a_change_that_would_break_a_scenario_is_rejected_and_the_workload_kept() {
    // The sample's scenarios move Exchange to BPOS; OS admin rules BPOS out, so the plan
    // with this row would not pass `check`.
    let plan = sample();
    let update = apply(&plan, "id,needs_os_admin,users\nexchange,true,80\nocs,,9\n");
    assert_eq!(update.rejected.len(), 1, "{:?}", update.rejected);
    assert_eq!(update.rejected[0].line, 2);
    assert!(
        update.rejected[0].message.starts_with(
            "not valid in the plan: scenarios[1] \"All collaboration to BPOS\".choices[\"exchange\"].destination: BPOS is ruled out"
        ),
        "{}",
        update.rejected[0].message
    );
    assert_eq!(
        update.workloads[0], plan.workloads[0],
        "Exchange is as it was"
    );
    assert_eq!(update.updated, ["ocs"]);
    let applied = Plan {
        workloads: update.workloads,
        ..plan
    };
    assert_eq!(keyholder::model::validate(&applied), []);
}

#[test]
fn three_thousand_rows_without_ids_get_unique_ids_in_under_a_second() {
    let plan = sample();
    let mut text = String::from("id,name,category\n");
    for _ in 0..3_000 {
        text.push_str(",File server,file_server\n");
    }
    let started = std::time::Instant::now();
    let update = apply(&plan, &text);
    let elapsed = started.elapsed();
    assert!(
        elapsed < std::time::Duration::from_secs(1),
        "took {elapsed:?}"
    );
    assert_eq!(update.added.len(), 3_000);
    assert_eq!(
        &update.added[..3],
        ["file-server-2", "file-server-3", "file-server-4"],
        "the sample already has \"file-server\""
    );
    assert_eq!(update.added[2_999], "file-server-3001");
}

#[test]
fn a_workloads_csv_file_from_excel_in_windows_1252_is_decoded() {
    let plan = sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("workloads.csv");
    // Excel "CSV" on German Windows: Windows-1252 and semicolons.
    std::fs::write(
        &path,
        b"id;name;storage_gb\r\nexchange;B\xFCro-Mail;12,5\r\n",
    )
    .expect("write");
    let update = keyholder::import::apply_workloads_csv_file(&plan, &path).expect("applies");
    assert_eq!(
        update.encoding,
        keyholder::storage::TextEncoding::Windows1252
    );
    assert_eq!(update.workloads[0].name, "Büro-Mail");
    assert_eq!(update.workloads[0].storage_gb, decimal("12.5"));
    std::fs::write(&path, b"id|name\nexchange|x\n").expect("write");
    let error = keyholder::import::apply_workloads_csv_file(&plan, &path).expect_err("pipes");
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}:1: ", path.display())),
        "{error}"
    );
}
