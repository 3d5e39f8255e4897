//! Every file in `saves/` is a valid plan, stored exactly as Keyholder writes it (so opening
//! and saving a sample changes nothing), and the built-in price books load.
//!
//! `KEYHOLDER_BLESS=1 cargo test --test core saves` rewrites the samples in the canonical form.

use std::path::PathBuf;

use keyholder::model::{Destination, Evaluation, validate};
use keyholder::storage::{
    BUILTIN_PRICE_BOOKS, builtin_price_book, load_plan, plan_to_ron, sample_plan,
};

fn sample_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/saves"))
        .expect("saves/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn samples_are_valid_and_canonical() {
    let files = sample_files();
    assert!(files.len() >= 3, "at least three sample plans: {files:?}");
    for path in files {
        let (loaded, _) = load_plan(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            loaded.unknown_fields.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.unknown_fields
        );
        let issues = validate(&loaded.plan);
        assert!(issues.is_empty(), "{}: {issues:#?}", path.display());
        let canonical = plan_to_ron(&loaded.plan);
        let on_disk = std::fs::read_to_string(&path).expect("read");
        if std::env::var_os("KEYHOLDER_BLESS").is_some() {
            std::fs::write(&path, &canonical).expect("bless");
        } else {
            assert!(
                canonical == on_disk,
                "{} is not in canonical form; run KEYHOLDER_BLESS=1 cargo test --test core saves",
                path.display()
            );
        }
    }
}

#[test]
fn samples_use_every_category_destination_and_constraint() {
    let mut categories = std::collections::BTreeSet::new();
    let mut destinations = std::collections::BTreeSet::new();
    let (mut admin, mut onsite, mut code) = (false, false, false);
    for path in sample_files() {
        let (loaded, _) = load_plan(&path).expect("load");
        let plan = loaded.plan;
        assert!(
            (2..=3).contains(&(plan.scenarios.len() - 1)) || plan.scenarios.len() >= 2,
            "{}",
            path.display()
        );
        for w in &plan.workloads {
            categories.insert(w.category);
            destinations.insert(w.current);
            admin |= w.constraints.needs_os_admin;
            onsite |= w.constraints.data_must_stay_onsite;
            code |= w.constraints.custom_code;
        }
        for s in &plan.scenarios {
            destinations.extend(s.choices.values().map(|c| c.destination));
        }
        // Each sample has a scenario that actually moves something.
        let evaluation = Evaluation::new(&plan);
        assert!(
            evaluation.scenarios(&plan).iter().any(|t| t.moves > 0),
            "{}",
            path.display()
        );
    }
    assert_eq!(categories.len(), 12, "{categories:?}");
    assert_eq!(
        destinations.len(),
        Destination::ALL.len(),
        "{destinations:?}"
    );
    assert!(admin && onsite && code);
}

#[test]
fn builtin_price_books_and_sample_load() {
    for (name, _) in BUILTIN_PRICE_BOOKS {
        let book = builtin_price_book(name).unwrap_or_else(|e| panic!("{e}"));
        for (_, terms) in book.destinations.iter() {
            for line in terms
                .recurring
                .iter()
                .chain(&terms.msp_fees)
                .chain(&terms.msp_costs)
            {
                assert!(
                    !line.source.trim().is_empty(),
                    "{name}: {} has no source",
                    line.label
                );
            }
        }
    }
    let sample = sample_plan().expect("sample");
    assert!(!sample.workloads.is_empty());
}
