//! Writing and reading plan files (PRODUCT.md section 5): random plans round-trip exactly and
//! are written deterministically; failed saves leave the old file and no litter; a save never
//! silently overwrites a colleague's change.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use keyholder::model::{
    Assumptions, Basis, Category, Choice, Constraints, ContentId, ControlDimension, ControlModel,
    Criticality, Customer, Decimal, Destination, FORMAT_VERSION, HistoryEntry, PartnerFeeRule,
    PerDestination, Plan, PriceBook, PurchaseTerm, RateLine, RecommendedScenario, Scenario,
    TermKind, Workload, YearMonth,
};
use keyholder::storage::{
    Expect, FileStamp, SaveError, default_price_book, load_plan, parse_plan, plan_to_ron,
    sample_plan, save_plan,
};
use proptest::collection::{btree_map, btree_set, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};

// ---------------------------------------------------------------------------------------
// Strategies for random plans.

/// Text as people and imports produce it: mostly ordinary, often with quotes, backslashes,
/// newlines, tabs, carriage returns, `#` (raw-string hazards), combining marks, emoji,
/// control characters and byte-order marks, and sometimes any Unicode at all.
fn text() -> impl Strategy<Value = String> {
    let tricky = prop_oneof![
        4 => any::<char>(),
        2 => select(vec![
            '"', '\\', '\n', '\r', '\t', '#', '\'', '\u{0}', '\u{7f}', '\u{301}', '\u{200b}',
            '\u{feff}', '\u{2028}', 'é', 'ß', '漢', '🙂', '(', ')', '[', ']', '{', '}', ':', ',',
        ]),
        6 => select(vec!['a', 'B', 'z', ' ', '0', '9', '-', '.', '&']),
    ];
    prop_oneof![
        3 => "[A-Za-z0-9 .,&'()-]{0,20}",
        4 => vec(tricky, 0..24).prop_map(String::from_iter),
        1 => any::<String>(),
    ]
}

/// Decimals as a person types them: up to 13 digits, 0 to 3 decimal places.
fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..=1_000_000_000_000, 0u32..=3).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

/// Like [`amount`], but small and possibly negative (growth, odd tweaks).
fn signed_amount() -> impl Strategy<Value = Decimal> {
    (-100_000i64..=100_000, 0u32..=3).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn category() -> impl Strategy<Value = Category> {
    select(Category::ALL.to_vec())
}

fn destination() -> impl Strategy<Value = Destination> {
    select(Destination::ALL.to_vec())
}

fn customer() -> impl Strategy<Value = Customer> {
    (
        (text(), text(), any::<u32>(), any::<u32>()),
        (text(), any::<u8>(), text(), text()),
    )
        .prop_map(
            |(
                (name, industry, seats, sites),
                (contact, fiscal_year_start_month, account_manager, notes),
            )| Customer {
                name,
                industry,
                seats,
                sites,
                contact,
                fiscal_year_start_month,
                account_manager,
                notes,
            },
        )
}

fn assumptions() -> impl Strategy<Value = Assumptions> {
    (
        0i32..=9999,
        1u8..=12,
        any::<u32>(),
        amount(),
        signed_amount(),
    )
        .prop_map(
            |(year, month, horizon_months, discount_rate_pct, growth_pct)| Assumptions {
                start_month: YearMonth { year, month },
                horizon_months,
                discount_rate_pct,
                growth_pct,
            },
        )
}

fn rate_line() -> impl Strategy<Value = RateLine> {
    (
        text(),
        select(Basis::ALL.to_vec()),
        amount(),
        btree_set(category(), 0..4),
        text(),
        any::<bool>(),
    )
        .prop_map(
            |(label, basis, unit_price, categories, source, licence)| RateLine {
                label,
                basis,
                unit_price,
                categories,
                source,
                licence,
            },
        )
}

fn term_kind() -> impl Strategy<Value = TermKind> {
    select(TermKind::ALL.to_vec())
}

fn purchase_term() -> impl Strategy<Value = PurchaseTerm> {
    (
        term_kind(),
        text(),
        amount(),
        btree_set(text(), 0..3),
        (any::<u32>(), any::<bool>()),
        text(),
    )
        .prop_map(
            |(kind, label, recurring_pct, lines, (commitment_months, paid_upfront), source)| {
                PurchaseTerm {
                    kind,
                    label,
                    recurring_pct,
                    lines,
                    commitment_months,
                    paid_upfront,
                    source,
                }
            },
        )
}

fn partner_fee_rule() -> impl Strategy<Value = PartnerFeeRule> {
    (
        text(),
        amount(),
        amount(),
        btree_set(term_kind(), 0..3),
        any::<bool>(),
        text(),
    )
        .prop_map(
            |(label, first_year_pct, recurring_pct, terms, needs_admin_access, source)| {
                PartnerFeeRule {
                    label,
                    first_year_pct,
                    recurring_pct,
                    terms,
                    needs_admin_access,
                    source,
                }
            },
        )
}

/// The 2010 book with random tweaks: a few unit prices, labour figures, hosted categories,
/// an extra rate line, purchase terms and fee rules, and its name.
fn price_book() -> impl Strategy<Value = PriceBook> {
    let book = default_price_book().expect("built-in price book");
    (
        prop::option::of((
            destination(),
            vec(purchase_term(), 0..3),
            vec(partner_fee_rule(), 0..2),
        )),
        vec((destination(), any::<Index>(), amount()), 0..4),
        (amount(), amount(), signed_amount()),
        prop::option::of((destination(), rate_line())),
        prop::option::of((destination(), btree_set(category(), 0..12))),
        prop::option::of(text()),
    )
        .prop_map(
            move |(terms, prices, (hours, rate, fee_pct), extra_line, hosts, name)| {
                let mut book = book.clone();
                if let Some((destination, terms, rules)) = terms {
                    let entry = book.destinations.get_mut(destination);
                    entry.purchase_terms = terms;
                    entry.partner_fee_rules = rules;
                }
                for (destination, line, price) in prices {
                    let lines = &mut book.destinations.get_mut(destination).recurring;
                    if !lines.is_empty() {
                        let at = line.index(lines.len());
                        lines[at].unit_price = price;
                    }
                }
                book.hours_per_month = hours;
                book.msp_rate_per_hour = rate;
                book.destinations.bpos.partner_fee_first_year_pct = fee_pct;
                if let Some((destination, line)) = extra_line {
                    book.destinations.get_mut(destination).msp_fees.push(line);
                }
                if let Some((destination, hosts)) = hosts {
                    book.destinations.get_mut(destination).hosts = hosts;
                }
                if let Some(name) = name {
                    book.name = name;
                }
                book
            },
        )
}

fn control_model() -> impl Strategy<Value = ControlModel> {
    let dimension =
        (text(), amount(), prop::array::uniform5(amount())).prop_map(|(name, weight, levels)| {
            ControlDimension {
                name,
                weight,
                levels: PerDestination::from_fn(|d| levels[d.index()]),
            }
        });
    prop_oneof![
        Just(ControlModel::default()),
        vec(dimension, 0..5).prop_map(|dimensions| ControlModel { dimensions }),
    ]
}

fn workload() -> impl Strategy<Value = Workload> {
    (
        (text(), text(), category(), any::<u32>(), any::<u32>()),
        (
            amount(),
            amount(),
            select(Criticality::ALL.to_vec()),
            destination(),
        ),
        (
            prop::option::of(any::<i64>()),
            (any::<bool>(), any::<bool>(), any::<bool>()),
            text(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (id, name, category, users, servers),
                (storage_gb, egress_gb_per_month, criticality, current),
                (
                    current_monthly_override_cents,
                    (needs_os_admin, data_must_stay_onsite, custom_code),
                    notes,
                    licences_with_sa,
                ),
            )| Workload {
                id,
                name,
                category,
                users,
                servers,
                storage_gb,
                egress_gb_per_month,
                criticality,
                current,
                current_monthly_override_cents,
                constraints: Constraints {
                    needs_os_admin,
                    data_must_stay_onsite,
                    custom_code,
                },
                notes,
                licences_with_sa,
            },
        )
}

/// Scenarios whose choices name the plan's workloads (and now and then a stale id).
fn scenarios(ids: Vec<String>) -> impl Strategy<Value = Vec<Scenario>> {
    let key = if ids.is_empty() {
        text().boxed()
    } else {
        prop_oneof![4 => select(ids), 1 => text()].boxed()
    };
    let choice = (
        destination(),
        any::<u32>(),
        prop::option::of(term_kind()),
        any::<bool>(),
    )
        .prop_map(|(destination, move_month, term, hybrid_benefit)| Choice {
            destination,
            move_month,
            term,
            hybrid_benefit,
        });
    let scenario = (text(), text(), btree_map(key, choice, 0..6)).prop_map(
        |(name, notes, choices): (String, String, BTreeMap<String, Choice>)| Scenario {
            name,
            notes,
            choices,
        },
    );
    vec(scenario, 0..4)
}

fn history() -> impl Strategy<Value = Vec<HistoryEntry>> {
    vec(
        (
            text(),
            text(),
            text(),
            text(),
            prop::option::of("[0-9a-f]{64}"),
        )
            .prop_map(
                |(saved_by, saved_at, note, keyholder_version, id)| HistoryEntry {
                    saved_by,
                    saved_at,
                    note,
                    keyholder_version,
                    content_id: id.map(ContentId::new),
                },
            ),
        0..4,
    )
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        customer(),
        assumptions(),
        price_book(),
        control_model(),
        vec(workload(), 0..8),
        history(),
    )
        .prop_flat_map(
            |(customer, assumptions, price_book, control_model, workloads, history)| {
                let ids = workloads.iter().map(|w| w.id.clone()).collect();
                (
                    Just((
                        customer,
                        assumptions,
                        price_book,
                        control_model,
                        workloads,
                        history,
                    )),
                    scenarios(ids),
                    // A recommendation names a scenario by its index (wrapped), with a
                    // rationale of any text.
                    proptest::option::of((any::<usize>(), text())),
                )
            },
        )
        .prop_map(
            |(
                (customer, assumptions, price_book, control_model, workloads, history),
                scenarios,
                recommended,
            )| {
                let recommended = recommended.and_then(|(index, rationale)| {
                    let scenario = scenarios.get(index % scenarios.len().max(1))?;
                    Some(RecommendedScenario {
                        scenario: scenario.name.clone(),
                        rationale,
                    })
                });
                Plan {
                    format_version: FORMAT_VERSION,
                    customer,
                    assumptions,
                    price_book,
                    control_model,
                    workloads,
                    scenarios,
                    history,
                    recommended,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------
// Round trips.

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn text_round_trips_exactly(plan in plan()) {
        let text = plan_to_ron(&plan);
        prop_assert!(!text.contains('\r'), "a carriage return was written");
        prop_assert!(
            text.starts_with("(\n    format_version: 3,\n"),
            "starts {:?}",
            &text[..text.len().min(40)]
        );
        prop_assert!(text.ends_with(")\n"));
        // No RON extensions and no struct names.
        prop_assert!(!text.contains("#!["));
        prop_assert!(!text.starts_with("Plan"));

        let loaded = parse_plan(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&loaded.plan, &plan);
        prop_assert!(loaded.unknown_fields.is_empty(), "{:?}", loaded.unknown_fields);
        prop_assert_eq!(loaded.migrated_from, None);

        // Deterministic, and already canonical: writing what was read changes nothing.
        prop_assert_eq!(&plan_to_ron(&plan), &text);
        prop_assert_eq!(&plan_to_ron(&loaded.plan), &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn files_round_trip_and_saving_twice_gives_the_same_bytes(plan in plan()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("Customer plan.ron");

        let stamp = save_plan(&path, &plan).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let first = fs::read(&path).expect("read");
        let text = plan_to_ron(&plan);
        prop_assert_eq!(&first, text.as_bytes());
        prop_assert_eq!(stamp.len, first.len() as u64);

        let (loaded, load_stamp) =
            load_plan(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&loaded.plan, &plan);
        prop_assert!(loaded.unknown_fields.is_empty());
        prop_assert_eq!((load_stamp.len, load_stamp.hash), (stamp.len, stamp.hash));

        save_plan(&path, &loaded.plan).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(fs::read(&path).expect("read"), first);
        prop_assert_eq!(folder_listing(dir.path()), vec!["Customer plan.ron".to_owned()]);
    }
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_still_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("from-windows.ron");
    let canonical = plan_to_ron(&sample());
    let windows = format!("\u{feff}{}", canonical.replace('\n', "\r\n"));
    fs::write(&path, &windows).expect("write");
    let (loaded, _) = load_plan(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.plan, sample());
    // Saving writes it back in the canonical form.
    save_plan(&path, &loaded.plan).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fs::read_to_string(&path).expect("read"), canonical);
}

// ---------------------------------------------------------------------------------------
// Failed saves.

fn sample() -> Plan {
    sample_plan().expect("sample plan")
}

/// Another version of the sample, so a save that went through would show.
fn changed_sample() -> Plan {
    let mut plan = sample();
    "Changed after the March review.".clone_into(&mut plan.customer.notes);
    plan.workloads.truncate(3);
    plan
}

/// The plan as the one save path writes it: its last history entry (the entry of the save)
/// carries the content id of what was written.
fn as_saved(mut plan: Plan) -> Plan {
    let id = keyholder::storage::content_id(&plan);
    assert!(keyholder::storage::record_content_id(&mut plan, &id));
    plan
}

/// Names in a folder, sorted, hidden files (where temporary files go) included.
fn folder_listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn expect_io_error(result: Result<FileStamp, SaveError>, path: &Path) -> String {
    match result {
        Ok(_) => panic!("saving to {} should have failed", path.display()),
        Err(error @ SaveError::Io { .. }) => {
            let shown = error.to_string();
            assert!(
                shown.starts_with(&format!("{}: could not save: ", path.display())),
                "{shown}"
            );
            assert!(shown.contains("unchanged"), "{shown}");
            shown
        }
        Err(other) => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn saving_into_a_missing_folder_fails_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Not there").join("plan.ron");
    let shown = expect_io_error(save_plan(&path, &sample()), &path);
    assert_eq!(
        shown,
        format!(
            "{}: could not save: no such file or folder; the file on disk is unchanged",
            path.display()
        )
    );
    assert!(!dir.path().join("Not there").exists());
    assert!(folder_listing(dir.path()).is_empty());
}

#[cfg(unix)]
/// Makes a folder read-only and undoes it when dropped (even when a test fails), so the
/// temporary folder can be removed.
struct ReadOnly {
    dir: PathBuf,
    immutable: bool,
}

#[cfg(unix)]
impl ReadOnly {
    /// Permission bits: enough for an ordinary user.
    fn by_mode(dir: &Path) -> Self {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).expect("chmod");
        Self {
            dir: dir.to_owned(),
            immutable: false,
        }
    }

    /// The immutable attribute, which binds root too; `None` where it is not available.
    fn by_attribute(dir: &Path) -> Option<Self> {
        let status = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| Self {
            dir: dir.to_owned(),
            immutable: true,
        })
    }

    /// Whether the folder really refuses new files (root ignores permission bits).
    fn holds(&self) -> bool {
        let probe = self.dir.join("probe");
        let created = fs::write(&probe, "x").is_ok();
        if created {
            let _ = fs::remove_file(&probe);
        }
        !created
    }
}

#[cfg(unix)]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.dir)
                .status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o755));
        }
    }
}

#[cfg(unix)]
/// A folder holding a saved plan, made read-only by `lock`; saving another plan must fail,
/// keep the old bytes and leave no temporary file.
fn save_into_read_only_folder(lock: impl Fn(&Path) -> Option<ReadOnly>) -> bool {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.ron");
    save_plan(&path, &sample()).expect("first save");
    let before = fs::read(&path).expect("read");
    let listing = folder_listing(dir.path());

    let Some(guard) = lock(dir.path()) else {
        return false;
    };
    if !guard.holds() {
        return false;
    }
    let shown = expect_io_error(save_plan(&path, &changed_sample()), &path);
    assert!(shown.contains("permission denied"), "{shown}");
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(folder_listing(dir.path()), listing);
    drop(guard);
    // And the file is still the plan that was there.
    assert_eq!(load_plan(&path).expect("load").0.plan, sample());
    true
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_folder_keeps_the_old_file() {
    let by_mode = save_into_read_only_folder(|dir| Some(ReadOnly::by_mode(dir)));
    let by_attribute = save_into_read_only_folder(ReadOnly::by_attribute);
    // As an ordinary user the permission bits do it; as root (CI) the immutable attribute
    // does, where the file system and capabilities allow it. The tests below need neither.
    eprintln!("read-only folder by permission bits: {by_mode}; by chattr +i: {by_attribute}");
    if !by_mode && !by_attribute {
        eprintln!("note: running as root without chattr +i; read-only folder not exercised");
    }
}

/// A save over a folder fails before anything is written, and leaves no temporary file.
#[test]
fn saving_over_a_folder_fails_and_leaves_no_temporary_file() {
    // Fails for root too: a file cannot be renamed over a folder.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.ron");
    fs::create_dir(&path).expect("mkdir");
    fs::write(path.join("inside.txt"), "keep me").expect("write");
    let listing = folder_listing(dir.path());

    expect_io_error(save_plan(&path, &sample()), &path);
    assert!(path.is_dir());
    assert_eq!(folder_listing(&path), vec!["inside.txt".to_owned()]);
    assert_eq!(
        fs::read_to_string(path.join("inside.txt")).expect("read"),
        "keep me"
    );
    assert_eq!(
        folder_listing(dir.path()),
        listing,
        "a temporary file was left beside the plan"
    );
}

#[test]
fn saving_where_the_folder_is_a_file_fails() {
    // Fails for root too: the "folder" was replaced by a file.
    let dir = tempfile::tempdir().expect("tempdir");
    let not_a_folder = dir.path().join("Customers");
    fs::write(&not_a_folder, "I am a file").expect("write");
    let path = not_a_folder.join("plan.ron");
    let listing = folder_listing(dir.path());

    expect_io_error(save_plan(&path, &sample()), &path);
    assert_eq!(
        fs::read_to_string(&not_a_folder).expect("read"),
        "I am a file"
    );
    assert_eq!(folder_listing(dir.path()), listing);
}

// ---------------------------------------------------------------------------------------
// A colleague's change is never overwritten silently.

fn saved_sample(dir: &Path) -> (PathBuf, FileStamp) {
    let path = dir.join("plan.ron");
    save_plan(&path, &sample()).expect("save");
    let (_, stamp) = load_plan(&path).expect("load");
    (path, stamp)
}

fn expect_changed_on_disk(result: Result<FileStamp, SaveError>, path: &Path) {
    match result {
        Err(error @ SaveError::ChangedOnDisk { .. }) => {
            let shown = error.to_string();
            assert_eq!(
                shown,
                format!(
                    "{}: the file was changed by someone else since it was opened; not overwritten",
                    path.display()
                )
            );
        }
        other => panic!("expected ChangedOnDisk, got {other:?}"),
    }
}

/// The one save path, expecting the file `expected` describes (`None`: no file).
fn save_checked(
    path: &Path,
    plan: &Plan,
    expected: Option<&FileStamp>,
) -> Result<FileStamp, SaveError> {
    let expect = expected.map_or(Expect::NewFile, |stamp| Expect::Unchanged(stamp.clone()));
    keyholder::storage::save_plan_file(path, plan, &expect, None).map(|saved| saved.stamp)
}

#[test]
fn checked_save_refuses_when_a_colleague_saved_meanwhile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, stamp) = saved_sample(dir.path());

    // A colleague opens the same file, changes it and saves.
    let mut theirs = sample();
    theirs.customer.seats += 10;
    theirs.history.push(HistoryEntry {
        saved_by: "Sam Okafor".to_owned(),
        saved_at: "2010-03-02T09:00:00Z".to_owned(),
        note: "Ten more seats after the merger.".to_owned(),
        ..HistoryEntry::default()
    });
    save_plan(&path, &theirs).expect("colleague's save");
    let their_bytes = fs::read(&path).expect("read");

    expect_changed_on_disk(save_checked(&path, &changed_sample(), Some(&stamp)), &path);
    assert_eq!(fs::read(&path).expect("read"), their_bytes);
    assert_eq!(folder_listing(dir.path()), vec!["plan.ron".to_owned()]);
}

#[test]
fn checked_save_notices_a_same_length_change_with_the_old_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, stamp) = saved_sample(dir.path());
    let modified = fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");

    // Same length, one letter different, and the modification time put back.
    let mut bytes = fs::read(&path).expect("read");
    let at = bytes
        .windows(6)
        .position(|w| w == b"Harlow")
        .expect("customer name");
    bytes[at] = b'M';
    fs::write(&path, &bytes).expect("write");
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(modified))
        .expect("set mtime");
    let now = FileStamp::read(&path).expect("stamp");
    assert_eq!((now.len, now.modified), (stamp.len, stamp.modified));

    expect_changed_on_disk(save_checked(&path, &changed_sample(), Some(&stamp)), &path);
    assert_eq!(fs::read(&path).expect("read"), bytes);
}

#[test]
fn checked_save_refuses_when_the_file_was_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, stamp) = saved_sample(dir.path());
    fs::remove_file(&path).expect("remove");
    expect_changed_on_disk(save_checked(&path, &changed_sample(), Some(&stamp)), &path);
    assert!(!path.exists());
}

#[test]
fn checked_save_goes_through_when_nothing_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, stamp) = saved_sample(dir.path());

    let new_stamp =
        save_checked(&path, &changed_sample(), Some(&stamp)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        plan_to_ron(&as_saved(changed_sample()))
    );
    let on_disk = FileStamp::read(&path).expect("stamp");
    assert_eq!((new_stamp.len, new_stamp.hash), (on_disk.len, on_disk.hash));

    // The returned stamp is good for the next save.
    let again = save_checked(&path, &sample(), Some(&new_stamp));
    assert!(again.is_ok(), "{again:?}");
    assert_eq!(load_plan(&path).expect("load").0.plan, as_saved(sample()));
    assert_eq!(folder_listing(dir.path()), vec!["plan.ron".to_owned()]);
}

#[test]
fn checked_save_of_a_new_file_refuses_to_replace_an_existing_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = saved_sample(dir.path());
    let before = fs::read(&path).expect("read");

    match save_checked(&path, &changed_sample(), None) {
        Err(error @ SaveError::AlreadyExists { .. }) => assert_eq!(
            error.to_string(),
            format!(
                "{}: a file with this name already exists; not overwritten",
                path.display()
            )
        ),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    assert_eq!(fs::read(&path).expect("read"), before);

    // Where nothing is in the way, it writes.
    let fresh = dir.path().join("new customer.ron");
    save_checked(&fresh, &changed_sample(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        load_plan(&fresh).expect("load").0.plan,
        as_saved(changed_sample())
    );
}

#[test]
fn the_sample_survives_every_decimal_and_text_field_being_awkward() {
    // One hand-made plan with the awkward values the strategies draw from, so a failure
    // here reads without shrinking.
    let mut plan = sample();
    plan.customer.name =
        "O'Brien \"& Sons\" \\ Ltd.\r\n#\"# r#\"x\"# 漢字 🙂 e\u{301}\u{0}".to_owned();
    plan.customer.notes = "line one\nline two\n\n\ttabbed\u{2028}".to_owned();
    plan.workloads[0].storage_gb = Decimal::new(999_999_999_999, 3);
    plan.workloads[0].egress_gb_per_month = Decimal::new(1, 3);
    plan.workloads[1].storage_gb = Decimal::new(1_000_000_000_000, 0);
    plan.workloads[1].current_monthly_override_cents = Some(i64::MAX);
    plan.workloads[2].current_monthly_override_cents = Some(i64::MIN);
    plan.assumptions.growth_pct = Decimal::new(-25, 1);
    plan.assumptions.start_month = YearMonth { year: 0, month: 1 };
    plan.price_book.destinations.bpos.hosts = BTreeSet::new();
    plan.scenarios[1].choices.insert(
        "a \"quoted\" id\n".to_owned(),
        Choice::new(Destination::Bpos, u32::MAX),
    );
    let text = plan_to_ron(&plan);
    let loaded = parse_plan(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(loaded.plan, plan);
    assert!(!text.contains('\r'));
}

#[test]
fn decimals_beyond_binary_floating_point_are_written_exactly() {
    let mut plan = sample();
    // 17 significant digits: more than an f64 holds, and a realistic size.
    let exact: Decimal = "9999.1234567890123".parse().expect("decimal");
    plan.workloads[0].storage_gb = exact;
    plan.price_book.msp_rate_per_hour = "0.1".parse().expect("decimal");
    let text = plan_to_ron(&plan);
    // Kept as a quoted decimal, since an f64 would round it; ordinary prices stay numbers.
    assert!(
        text.contains("storage_gb: \"9999.1234567890123\","),
        "{text}"
    );
    assert!(text.contains("msp_rate_per_hour: 0.1,"));
    assert_eq!(parse_plan(&text).expect("parse").plan, plan);
    assert!(keyholder::model::validate(&plan).is_empty());
    // Beyond its bound (100,000,000 GB) the plan is refused, so every figure stays exact.
    plan.workloads[0].storage_gb = Decimal::MAX;
    let issues = keyholder::model::validate(&plan);
    assert!(
        issues.iter().any(|i| i
            .to_string()
            .contains(".storage_gb: must be at most 100,000,000 GB")),
        "{issues:?}"
    );
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.ron");
    save_plan(&path, &sample()).expect("save");
    // A new plan is readable by others (subject to the umask), not private like a temp file.
    let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_ne!(
        mode & 0o044,
        0,
        "group/others can read a new plan: {mode:o}"
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    save_plan(&path, &changed_sample()).expect("save again");
    assert_eq!(
        fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
        0o640
    );
}
