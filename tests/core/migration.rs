//! Plans of older format versions (1: the first release; 2: history with content ids) open in
//! this version, migrated to version 3 (commercial terms), and price exactly as before: every
//! figure the previous release's `keyholder report --format json` printed for them (kept in
//! `tests/fixtures/v1/before/`) is printed again.

use std::path::Path;

use keyholder::model::{Evaluation, FORMAT_VERSION};
use keyholder::report::{Audience, ReportOptions, build_with, to_json};
use keyholder::storage::{load_plan, plan_to_ron};
use serde_json::Value;

const SAMPLES: [&str; 3] = ["law-firm", "dental-practice", "accounting-firm"];

/// Every value of `before` is in `after` at the same place (`after` may have more fields).
fn contains(before: &Value, after: &Value, at: &str) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (key, value) in b {
                let inner = format!("{at}.{key}");
                let found = a.get(key).unwrap_or_else(|| panic!("{inner} is missing"));
                contains(value, found, &inner);
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            assert_eq!(b.len(), a.len(), "{at}: length");
            for (i, (x, y)) in b.iter().zip(a).enumerate() {
                contains(x, y, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(before, after, "{at}"),
    }
}

#[test]
fn every_older_sample_migrates_and_prices_as_before() {
    assert_eq!(FORMAT_VERSION, 3);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in SAMPLES {
        let file = format!("{name}.ron");
        let (current, _) = load_plan(&root.join("saves").join(&file)).expect("load");
        assert_eq!(current.migrated_from, None, "saves/{file} is current");
        let before: Value = serde_json::from_str(
            &std::fs::read_to_string(
                root.join("tests/fixtures/v1/before")
                    .join(format!("{name}.json")),
            )
            .expect("read the previous release's report"),
        )
        .expect("json");
        for version in [1_u32, 2] {
            let old = root.join(format!("tests/fixtures/v{version}")).join(&file);
            let text = std::fs::read_to_string(&old).expect("read");
            assert!(
                text.starts_with(&format!("(\n    format_version: {version},\n")),
                "{file} is a version {version} file"
            );
            let (migrated, _) = load_plan(&old).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(migrated.migrated_from, Some(version));
            assert!(migrated.unknown_fields.is_empty());
            // The same plan (history entries written by version 1 name no Keyholder version).
            if version == 2 {
                assert_eq!(migrated.plan, current.plan, "{file}");
            } else {
                assert!(
                    migrated
                        .plan
                        .history
                        .iter()
                        .all(|h| h.keyholder_version.is_empty())
                );
                assert_eq!(migrated.plan.workloads, current.plan.workloads);
                assert_eq!(migrated.plan.scenarios, current.plan.scenarios);
                assert_eq!(migrated.plan.price_book, current.plan.price_book);
            }
            let evaluation = Evaluation::try_new(&migrated.plan).expect("evaluation");
            // As `keyholder report --format json` builds it.
            let options = ReportOptions {
                focus: None,
                audience: Audience::Internal,
                charts: false,
            };
            let report = build_with(&migrated.plan, &evaluation, &options).expect("report");
            let after: Value = serde_json::from_str(&to_json(&report)).expect("json");
            contains(&before, &after, &format!("v{version}/{file}"));
            // Saved again, it is a version 3 file, without any of version 3's new fields
            // (nothing in it buys a term or uses Hybrid Benefit).
            let saved = plan_to_ron(&migrated.plan);
            assert!(saved.starts_with("(\n    format_version: 3,\n"));
            for field in [
                "purchase_terms",
                "partner_fee_rules",
                "licence:",
                "licences_with_sa",
                "term:",
                "hybrid_benefit",
            ] {
                assert!(!saved.contains(field), "{file} gained {field}");
            }
        }
    }
}
