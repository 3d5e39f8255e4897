//! Plans of format version 1 (the first release) open in this version, migrated to version 2,
//! and price exactly as before: the same plan, the same totals.

use std::path::Path;

use keyholder::model::{Evaluation, FORMAT_VERSION};
use keyholder::storage::{load_plan, plan_to_ron};

#[test]
fn every_version_1_sample_migrates_and_prices_as_before() {
    assert_eq!(FORMAT_VERSION, 2);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["law-firm.ron", "dental-practice.ron", "accounting-firm.ron"] {
        let old = root.join("tests/fixtures/v1").join(name);
        let text = std::fs::read_to_string(&old).expect("read");
        assert!(
            text.starts_with("(\n    format_version: 1,\n"),
            "{name} is a version 1 file"
        );
        let (migrated, _) = load_plan(&old).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(migrated.migrated_from, Some(1));
        assert!(migrated.unknown_fields.is_empty());
        let (current, _) = load_plan(&root.join("saves").join(name)).expect("load");
        assert_eq!(current.migrated_from, None);
        // The same plan; history entries written by version 1 name no Keyholder version.
        assert_eq!(migrated.plan, current.plan, "{name}");
        assert!(
            migrated
                .plan
                .history
                .iter()
                .all(|h| h.keyholder_version.is_empty())
        );
        let before = Evaluation::try_new(&migrated.plan)
            .and_then(|e| e.try_scenarios(&migrated.plan))
            .expect("totals");
        let after = Evaluation::try_new(&current.plan)
            .and_then(|e| e.try_scenarios(&current.plan))
            .expect("totals");
        assert_eq!(before, after, "{name} prices exactly as before");
        // Saved again, it is a version 2 file.
        assert!(plan_to_ron(&migrated.plan).starts_with("(\n    format_version: 2,\n"));
    }
}
