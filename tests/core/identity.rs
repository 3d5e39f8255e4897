//! The app's identity (`src/identity.rs`) and the packaging files that must agree with it:
//! Cargo.toml's `[package.metadata.deb]`, `[package.metadata.packager]` and `[profile.dist]`,
//! the `.desktop` entry, the MIME type, the macOS Info.plist and the icon files.

use std::path::{Path, PathBuf};

use keyholder::identity::{
    self, APP_ID, BINARY, COMMIT, ICON_PNG_64, ICON_PNG_256, NAME, PLAN_EXTENSION, PLAN_MIME_TYPE,
    VERSION, VERSION_AND_COMMIT,
};

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_file(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn manifest() -> toml::Table {
    read("Cargo.toml").parse().expect("Cargo.toml parses")
}

fn table<'a>(value: &'a toml::Table, path: &[&str]) -> &'a toml::Table {
    path.iter().fold(value, |table, key| {
        table[*key]
            .as_table()
            .unwrap_or_else(|| panic!("{key} is a table"))
    })
}

/// The `key=value` lines of the `[Desktop Entry]` group.
fn desktop_entry() -> Vec<(String, String)> {
    read(&format!("assets/linux/{APP_ID}.desktop"))
        .lines()
        .skip_while(|line| *line != "[Desktop Entry]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

fn desktop_value(key: &str) -> String {
    desktop_entry()
        .into_iter()
        .find_map(|(k, v)| (k == key).then_some(v))
        .unwrap_or_else(|| panic!("the desktop entry has no {key}"))
}

#[test]
fn version_and_name_come_from_cargo_toml() {
    let manifest = manifest();
    let package = table(&manifest, &["package"]);
    assert_eq!(VERSION, package["version"].as_str().unwrap());
    assert_eq!(BINARY, package["name"].as_str().unwrap());
    assert_eq!(BINARY, "keyholder");
    assert_eq!(NAME, "Keyholder");
    assert_eq!(
        identity::DESCRIPTION,
        package["description"].as_str().unwrap()
    );
    assert_eq!(VERSION_AND_COMMIT, format!("{VERSION} (commit {COMMIT})"));
}

#[test]
fn commit_is_the_checked_out_commit() {
    // build.rs takes KEYHOLDER_COMMIT when set, else git's HEAD, else "unknown".
    if let Ok(forced) = std::env::var("KEYHOLDER_COMMIT") {
        assert_eq!(COMMIT, forced.trim());
        return;
    }
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    match head {
        Ok(output) if output.status.success() => {
            let head = String::from_utf8(output.stdout).unwrap();
            assert_eq!(COMMIT, head.trim());
            assert_eq!(COMMIT.len(), 12);
            assert!(COMMIT.chars().all(|c| c.is_ascii_hexdigit()), "{COMMIT}");
        }
        _ => assert_eq!(COMMIT, "unknown"),
    }
}

#[test]
fn price_books_are_named_with_their_dates() {
    let books = identity::price_books().expect("the built-in books parse");
    let summary: Vec<_> = books
        .iter()
        .map(|b| (b.file_name, b.name.as_str(), b.as_of.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "microsoft-2010.ron",
                "Microsoft cloud at launch (2010)",
                "2010-02"
            ),
            (
                "microsoft-2026.ron",
                "Microsoft cloud today (2026)",
                "2026-07"
            ),
        ]
    );
}

#[test]
fn long_version_names_version_commit_and_books() {
    assert_eq!(
        identity::long_version(),
        format!(
            "{VERSION}\ncommit: {COMMIT}\n\
             price book: Microsoft cloud at launch (2010), as of 2010-02 (microsoft-2010.ron)\n\
             price book: Microsoft cloud today (2026), as of 2026-07 (microsoft-2026.ron)"
        )
    );
}

#[test]
fn window_icon_is_the_keyhole_at_256_pixels() {
    let icon = identity::window_icon().expect("the icon decodes");
    assert_eq!((icon.width, icon.height), (256, 256));
    assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    let pixel = |x: usize, y: usize| {
        let at = (y * 256 + x) * 4;
        <[u8; 4]>::try_from(&icon.rgba[at..at + 4]).unwrap()
    };
    // The tile is inset 12 px with rounded corners: the very corner is transparent.
    assert_eq!(pixel(0, 0)[3], 0);
    // Left of the keyhole, inside the tile: opaque blue.
    let [r, g, b, a] = pixel(40, 128);
    assert_eq!(a, 255);
    assert!(b > 100 && b > r + 50 && b > g, "tile is blue: {r} {g} {b}");
    // The keyhole's circle is centred at (128, 100): opaque gold.
    let [r, g, b, a] = pixel(128, 100);
    assert_eq!(a, 255);
    assert!(
        r > 200 && g > 150 && b < 140,
        "keyhole is gold: {r} {g} {b}"
    );
    // Its slot at y = 180 runs from about x = 99 to 157: gold in the middle, blue beside it.
    assert!(pixel(128, 180)[0] > 200);
    assert!(pixel(80, 180)[2] > pixel(80, 180)[0]);
}

#[test]
fn about_box_icon_is_64_pixels() {
    let icon = identity::decode_icon(ICON_PNG_64).unwrap();
    assert_eq!((icon.width, icon.height), (64, 64));
    assert_ne!(ICON_PNG_64, ICON_PNG_256);
}

#[test]
fn decode_icon_refuses_what_is_not_a_png() {
    let error = identity::decode_icon(b"not a png").unwrap_err();
    assert!(
        error.starts_with("the icon could not be decoded"),
        "{error}"
    );
}

#[test]
fn every_icon_png_has_the_size_in_its_name() {
    for size in [16_u32, 24, 32, 48, 64, 128, 256, 512, 1024] {
        let png = std::fs::read(repo_file(&format!("assets/icon/keyholder-{size}.png"))).unwrap();
        let icon = identity::decode_icon(&png).unwrap();
        assert_eq!(
            (icon.width, icon.height),
            (size, size),
            "keyholder-{size}.png"
        );
    }
    assert!(identity::ICON_SVG.contains(r#"viewBox="0 0 256 256""#));
    // Windows .ico and macOS .icns start with their magic numbers.
    let ico = std::fs::read(repo_file("assets/icon/keyholder.ico")).unwrap();
    assert_eq!(ico[..4], [0, 0, 1, 0]);
    let icns = std::fs::read(repo_file("assets/icon/keyholder.icns")).unwrap();
    assert_eq!(&icns[..4], b"icns");
}

#[test]
fn dist_profile_strips_and_uses_lto_with_one_codegen_unit() {
    let manifest = manifest();
    let dist = table(&manifest, &["profile", "dist"]);
    assert_eq!(dist["inherits"].as_str(), Some("release"));
    assert_eq!(dist["strip"].as_bool(), Some(true));
    assert_eq!(dist["debug"].as_bool(), Some(false));
    assert_eq!(dist["lto"].as_str(), Some("fat"));
    assert_eq!(dist["codegen-units"].as_integer(), Some(1));
}

#[test]
fn deb_installs_binary_desktop_entry_mime_type_and_icons_under_the_app_id() {
    let manifest = manifest();
    let deb = table(&manifest, &["package", "metadata", "deb"]);
    assert_eq!(deb["profile"].as_str(), Some("dist"));
    let assets: Vec<(String, String)> = deb["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| {
            let asset = asset.as_array().unwrap();
            (
                asset[0].as_str().unwrap().to_owned(),
                asset[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |source: &str, dest: &str| {
        assert!(
            assets.iter().any(|(s, d)| s == source && d == dest),
            "{source} -> {dest} is not among the deb's assets: {assets:?}"
        );
    };
    has("target/release/keyholder", "usr/bin/");
    has(
        &format!("assets/linux/{APP_ID}.desktop"),
        "usr/share/applications/",
    );
    has(
        &format!("assets/linux/{APP_ID}.xml"),
        "usr/share/mime/packages/",
    );
    has(
        "assets/icon/keyholder.svg",
        &format!("usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"),
    );
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        has(
            &format!("assets/icon/keyholder-{size}.png"),
            &format!("usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"),
        );
    }
    // Every non-glob source exists (cargo-deb would fail on a missing one, but only at package time).
    for (source, _) in &assets {
        if !source.starts_with("target/") && !source.contains('*') {
            assert!(repo_file(source).is_file(), "{source} is missing");
        }
    }
    // The window loads these at run time, so dpkg-shlibdeps ($auto) cannot see them.
    let depends = deb["depends"].as_str().unwrap();
    for library in ["libx11-6", "libxkbcommon-x11-0", "libgl1", "libegl1"] {
        assert!(
            depends.contains(library),
            "{library} missing from {depends}"
        );
    }
    assert!(depends.starts_with("$auto"));
}

#[test]
fn desktop_entry_opens_a_plan_with_the_app_id_and_icon() {
    assert_eq!(desktop_value("Type"), "Application");
    assert_eq!(desktop_value("Name"), NAME);
    // %f: the file manager passes one local path, which `keyholder PLAN` opens.
    assert_eq!(desktop_value("Exec"), format!("{BINARY} %f"));
    assert_eq!(desktop_value("Icon"), APP_ID);
    // X11 desktops match windows to the entry by WM_CLASS, Wayland ones by app id = entry name.
    assert_eq!(desktop_value("StartupWMClass"), APP_ID);
    assert_eq!(desktop_value("MimeType"), format!("{PLAN_MIME_TYPE};"));
    assert_eq!(desktop_value("Terminal"), "false");
}

#[test]
fn mime_type_claims_plan_files_and_uses_the_app_icon() {
    let xml = read(&format!("assets/linux/{APP_ID}.xml"));
    assert!(xml.contains(&format!(r#"<mime-type type="{PLAN_MIME_TYPE}">"#)));
    assert!(xml.contains(&format!(r#"<glob pattern="*.{PLAN_EXTENSION}"/>"#)));
    assert!(xml.contains(&format!(r#"<icon name="{APP_ID}"/>"#)));
    // The magic string is the first field of every plan Keyholder writes.
    assert!(xml.contains(r#"value="format_version""#));
    let plan = read("saves/law-firm.ron");
    let first_field = plan.find("format_version").unwrap();
    assert!(first_field < 256, "the magic looks at the first 256 bytes");
}

#[test]
fn windows_and_macos_packages_share_the_app_id_and_plan_association() {
    let manifest = manifest();
    let packager = table(&manifest, &["package", "metadata", "packager"]);
    assert_eq!(packager["identifier"].as_str(), Some(APP_ID));
    assert_eq!(packager["product-name"].as_str(), Some(NAME));
    let association = packager["file-associations"].as_array().unwrap()[0]
        .as_table()
        .unwrap();
    assert_eq!(
        association["extensions"].as_array().unwrap(),
        &vec![toml::Value::from(PLAN_EXTENSION)]
    );
    assert_eq!(association["mime-type"].as_str(), Some(PLAN_MIME_TYPE));
    for icon in packager["icons"].as_array().unwrap() {
        let icon = icon.as_str().unwrap();
        assert!(repo_file(icon).is_file(), "{icon} is missing");
    }
    let plist_path =
        table(&manifest, &["package", "metadata", "packager", "macos"])["info-plist-path"]
            .as_str()
            .unwrap()
            .to_owned();
    let plist = read(&plist_path);
    assert!(plist.contains(&format!("<string>{PLAN_MIME_TYPE}</string>")));
    assert!(plist.contains(&format!("<string>{PLAN_EXTENSION}</string>")));
    assert!(plist.contains("<key>UTExportedTypeDeclarations</key>"));
}
