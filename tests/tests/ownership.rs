//! Each domain owns its tables and offers the others a facade (`api.rs`, a hook, or its store):
//! this test reads every `use` of the database schema and every path into another crate, and
//! fails when a crate names a table it does not own or another domain's `http` module.
//!
//! The few crossings still in the code are listed in `KNOWN_CROSSINGS` with the reason each
//! stays; the test fails too when one of them is gone, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anjoman_tests::{rust_files, workspace_root};

/// Table → the crates that own it. Tables shared by `core` and `identity` are the
/// authentication tables: core authenticates every request with them, identity manages them.
const OWNERS: &[(&str, &[&str])] = &[
    // The platform (core): audit, rate limits, captcha, messages out, files, payments, webhooks,
    // and the reference divisions of Iran that every domain may read.
    ("audit_log", &["core"]),
    ("audit_head", &["core"]),
    ("captchas", &["core"]),
    ("rate_windows", &["core"]),
    ("throttle_counters", &["core"]),
    ("outbox_messages", &["core"]),
    ("one_time_codes", &["core"]),
    ("files", &["core"]),
    ("invoices", &["core"]),
    ("sandbox_payments", &["core"]),
    ("webhook_subscriptions", &["core", "integrations"]),
    ("provinces", &["*"]),
    ("cities", &["*"]),
    ("counties", &["*"]),
    // Identity.
    ("persons", &["identity"]),
    ("accounts", &["identity", "core"]),
    ("role_grants", &["identity", "core"]),
    ("sessions", &["identity", "core"]),
    ("refresh_tokens", &["identity"]),
    ("inbound_sms", &["identity"]),
    ("sms_recovery_requests", &["identity"]),
    ("sso_logins", &["identity"]),
    // Associations.
    ("associations", &["associations"]),
    ("association_qualifications", &["associations"]),
    ("memberships", &["associations"]),
    ("membership_events", &["associations"]),
    ("board_positions", &["associations"]),
    ("news", &["associations"]),
    ("messages", &["associations"]),
    ("message_recipients", &["associations"]),
    ("message_attachments", &["associations"]),
    // Elections.
    ("elections", &["elections"]),
    ("election_trustees", &["elections"]),
    ("contests", &["elections"]),
    ("candidates", &["elections"]),
    ("voter_roll", &["elections"]),
    ("participations", &["elections"]),
    ("ballots", &["elections"]),
    ("vote_codes", &["elections"]),
    // Technical officers.
    ("officer_fields", &["officers"]),
    ("officers", &["officers"]),
    ("officer_standing_events", &["officers"]),
    ("officer_requests", &["officers"]),
    ("officer_request_events", &["officers"]),
    ("distributors", &["officers"]),
    ("branches", &["officers"]),
    ("cooperations", &["officers"]),
    // Engineers.
    ("engineering_orgs", &["engineers"]),
    ("engineers", &["engineers"]),
    ("engineer_degrees", &["engineers"]),
    ("engineer_contacts", &["engineers"]),
    ("engineer_addresses", &["engineers"]),
    ("engineer_documents", &["engineers"]),
    ("engineer_relatives", &["engineers"]),
    ("engineer_renewals", &["engineers"]),
    // Integrations.
    ("api_keys", &["integrations"]),
];

/// Crossings that remain, each with why: (file, table, reason).
const KNOWN_CROSSINGS: &[(&str, &str, &str)] = &[
    (
        "api/associations/src/api.rs",
        "persons",
        "members' contacts are read page by page in one keyset join (a million members)",
    ),
    ("api/associations/src/store.rs", "persons", "the member list is searched and sorted by the person's name"),
    ("api/associations/src/import.rs", "persons", "an import matches a file's rows to persons in bulk"),
    ("api/officers/src/standing.rs", "persons", "the qualified list is searched and sorted by the person's name"),
    (
        "api/engineers/src/experts.rs",
        "persons",
        "the experts' list of engineers is searched and sorted by the person's name",
    ),
    ("api/elections/src/worker.rs", "memberships", "the roll is frozen by one INSERT … SELECT (a million in seconds)"),
    (
        "api/core/src/platform/payments.rs",
        "persons",
        "core sits below identity: the payer's contacts for the receipt, an invoice's payer by national code",
    ),
];

/// The crate a source file belongs to: `api/<crate>/src/...`.
fn crate_of(path: &Path, root: &Path) -> String {
    path.strip_prefix(root.join("api"))
        .ok()
        .and_then(|p| p.iter().next())
        .map(|c| c.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The tables a source file names through `schema::…` (single names and braced lists).
fn tables_named(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = source;
    while let Some(i) = rest.find("schema::") {
        rest = &rest[i + "schema::".len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let end = list.find('}').unwrap_or(list.len());
            for item in list[..end].split(',') {
                let name = item.split_whitespace().next().unwrap_or("");
                if !name.is_empty() {
                    out.insert(name.to_owned());
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every table of the schema.
fn schema_tables(root: &Path) -> BTreeSet<String> {
    let schema = std::fs::read_to_string(root.join("api/core/src/db/schema.rs")).expect("schema.rs");
    let mut out = BTreeSet::new();
    let mut lines = schema.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "diesel::table! {"
            && let Some(next) = lines.next()
            && let Some(name) = next.split_whitespace().next()
        {
            out.insert(name.to_owned());
        }
    }
    out
}

/// What each file names that it should not: (file, table) pairs, and other crates' `http` paths.
fn crossings(root: &Path) -> (BTreeSet<(String, String)>, Vec<String>) {
    let owners: BTreeMap<&str, &[&str]> = OWNERS.iter().copied().collect();
    let files = rust_files(&root.join("api"));
    let (mut tables, mut http) = (BTreeSet::new(), Vec::new());
    for file in files {
        let krate = crate_of(&file, root);
        let rel = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        // The server is the composition root: it mounts every domain's routes, assembles the
        // hooks and seeds the demo data.
        if krate == "server" {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("readable source");
        for table in tables_named(&source) {
            let Some(allowed) = owners.get(table.as_str()) else { continue };
            if !allowed.contains(&"*") && !allowed.contains(&krate.as_str()) {
                tables.insert((rel.clone(), table));
            }
        }
        for other in ["identity", "associations", "elections", "officers", "engineers", "integrations"] {
            if other != krate && source.contains(&format!("anjoman_{other}::http")) {
                http.push(format!("{rel} names anjoman_{other}::http"));
            }
        }
    }
    (tables, http)
}

#[test]
fn every_table_has_an_owner() {
    let root = workspace_root();
    let owned: BTreeSet<String> = OWNERS.iter().map(|(t, _)| (*t).to_owned()).collect();
    let tables = schema_tables(&root);
    assert!(tables.len() > 40, "schema.rs read: {} tables", tables.len());
    let missing: Vec<_> = tables.difference(&owned).collect();
    assert!(missing.is_empty(), "tables without an owner in OWNERS: {missing:?}");
    let stale: Vec<_> = owned.difference(&tables).collect();
    assert!(stale.is_empty(), "OWNERS names tables the schema no longer has: {stale:?}");
}

#[test]
fn no_crate_names_another_domains_tables_or_http_module() {
    let root = workspace_root();
    let (tables, http) = crossings(&root);
    assert!(http.is_empty(), "a domain's http module holds its routes only; use its api.rs:\n{}", http.join("\n"));
    let known: BTreeSet<(String, String)> =
        KNOWN_CROSSINGS.iter().map(|(f, t, _)| ((*f).to_owned(), (*t).to_owned())).collect();
    let new: Vec<_> = tables.difference(&known).collect();
    assert!(
        new.is_empty(),
        "these files name tables of another domain; ask the owner's api.rs (or store) instead:\n{new:#?}"
    );
    let gone: Vec<_> = known.difference(&tables).collect();
    assert!(gone.is_empty(), "these known crossings are gone: take them off KNOWN_CROSSINGS:\n{gone:#?}");
}

#[test]
fn the_check_sees_a_crossing() {
    // The reader itself: a braced list, a single path, and aliases.
    let named = tables_named(
        "use anjoman_core::db::schema::{officers as o, persons as p};\nlet x = anjoman_core::db::schema::engineers::table;",
    );
    let expected: BTreeSet<String> = ["officers", "persons", "engineers"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(named, expected);
}
