//! The OpenAPI document: general information, the bearer scheme, and every route collected
//! from the same `service(...)` calls that build the server.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Anjoman API",
        description = "One platform for Iranian professional bodies: scientific medical associations \
and their board elections, medical-equipment technical officers, and the building-engineering \
organisation's members.\n\n\
Every failure answers with the envelope `{code, message, fields}`: `code` is a stable snake_case \
machine code, `message` is in Persian or English by `Accept-Language` (Persian by default), and \
`fields` maps field names to messages. Timestamps are UTC ISO-8601. Authenticate with \
`POST /api/v1/auth/login`, then send `Authorization: Bearer <access_token>`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerScheme),
    components(schemas(anjoman_core::error::ErrorBody)),
    tags(
        (name = "auth", description = "Registration, login, tokens and passwords"),
        (name = "me", description = "The signed-in person, and their sessions"),
        (name = "roles", description = "Granting and revoking roles: each authority its own (commission admins: commission, directorate, provincial engineering and association admins; directorate admins: directorate admins, reviewers, distributor managers; a province's engineering admins: its experts); audited, effective from the next request"),
        (name = "accounts", description = "The commission's register of people; disabling and re-enabling accounts"),
        (name = "associations", description = "Scientific associations, what qualifies for membership, memberships, boards, member import and export"),
        (name = "news", description = "Associations' news: drafts, publishing, public lists"),
        (name = "elections", description = "Board elections: set-up, lifecycle, public pages, tally and results"),
        (name = "voting", description = "Voting: confirmation codes by e-mail, SMS or inbound SMS, and casting the encrypted ballot"),
        (name = "trustees", description = "Verifiable ballots: the trustees' key ceremony, the encrypted totals and their partial decryptions"),
        (name = "officers", description = "Technical officers: reference data, registration, their data and their qualification and amendment requests"),
        (name = "distributors", description = "Distributors, their branches, and cooperation with technical officers"),
        (name = "reviews", description = "Universities' reviewers: the queue of officers' requests and the decisions"),
        (name = "engineers", description = "Building engineers: provincial organisations, member records tab by tab, membership renewal with debt and payment, the experts' queue, import"),
        (name = "integrations", description = "Third-party systems: API keys with scopes (sent as `X-Api-Key`), verification endpoints, signed webhooks and their delivery log"),
        (name = "messages", description = "Letters between the commission, associations and members; inboxes"),
        (name = "sms", description = "Inbound SMS from the gateway (signed webhook)"),
        (name = "admin", description = "Audit log and outbox, for commission admins"),
        (name = "files", description = "Uploads checked by content; downloads by purpose"),
        (name = "payments", description = "Invoices in rials and their payment through a gateway"),
        (name = "sandbox gateway", description = "The built-in test gateway (Zarinpal v4 API); not for production"),
        (name = "system", description = "Health and readiness"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components.add_security_scheme(
            anjoman_integrations::keys::SCHEME,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                anjoman_integrations::keys::HEADER,
                "An API key of a third-party system (`anj_…`), issued by an admin under Integrations. \
Each operation lists the scope it needs: `members:verify`, `results:read`, `officers:verify`, \
`engineers:verify`.",
            ))),
        );
    }
}

/// The complete document, as served at `/api/openapi.json` and printed by `anjoman openapi`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = crate::startup::routes(actix_web::App::new()).split_for_parts();
    add_common_responses(&mut api);
    refer_page_items(&mut api);
    api
}

/// utoipa copies the item schema into each instance of the generic `Page<T>` (`Page_NewsItem`);
/// point its `items` at the item's own component instead, so each schema is defined once and
/// generated clients share the item type.
fn refer_page_items(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayBuilder, Schema};
    use utoipa::openapi::{Ref, RefOr};

    let Some(components) = api.components.as_mut() else { return };
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Page_").filter(|item| components.schemas.contains_key(*item)) else {
            continue;
        };
        let reference = ArrayBuilder::new().items(RefOr::Ref(Ref::from_schema_name(item))).build();
        if let Some(RefOr::T(Schema::Object(page))) = components.schemas.get_mut(&name) {
            page.properties.insert("items".to_owned(), RefOr::T(Schema::Array(reference)));
        }
    }
}

/// The answers any operation may give besides its own, added where an operation does not
/// already describe them, so that the document lists every status the server sends: 401 and 403
/// where a credential is needed, 400 and 413 where input is read, 404 where a path names something,
/// 429 where a rate limit applies (`limits::RULES`), 503 when the database is unreachable.
pub fn add_common_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

    let answer = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build()
    };
    for (path, item) in api.paths.paths.iter_mut() {
        let operations = [
            (actix_web::http::Method::GET, &mut item.get),
            (actix_web::http::Method::PUT, &mut item.put),
            (actix_web::http::Method::POST, &mut item.post),
            (actix_web::http::Method::DELETE, &mut item.delete),
            (actix_web::http::Method::PATCH, &mut item.patch),
        ];
        for (method, operation) in operations {
            let Some(op) = operation.as_mut() else { continue };
            let params = op.parameters.as_deref().unwrap_or_default();
            let has_path = params.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path));
            let reads_input = op.request_body.is_some() || !params.is_empty();
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let responses = &mut op.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses.entry(status.to_owned()).or_insert_with(|| answer(description).into());
            };
            if reads_input {
                add("400", "`validation_failed`, `malformed_json`, `invalid_body`, `invalid_query` or `invalid_path`");
            }
            if secured {
                add("401", "`unauthorized`: no valid credentials (sign in again)");
                add("403", "`forbidden`, or `password_change_required` until the password is changed");
            }
            if has_path {
                add("404", "`not_found`");
            }
            if op.request_body.is_some() {
                add("413", "`payload_too_large`");
            }
            if crate::limits::rule_for(&method, path).is_some() {
                add(
                    "429",
                    "`rate_limited`: too many of these requests from this address or account; see `Retry-After`",
                );
            }
            if path != "/healthz" {
                add("503", "`unavailable`: the database is not reachable; try again shortly");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ArrayItems, Schema};

    /// Every paged list answers with the one `Page<T>`, and each instance refers to its item's
    /// component instead of carrying a copy of it.
    #[test]
    fn pages_refer_to_their_items() {
        let api = super::document();
        let schemas = &api.components.as_ref().expect("components").schemas;
        let pages: Vec<_> = schemas.keys().filter(|n| n.starts_with("Page_")).collect();
        assert!(pages.len() >= 8, "paged lists: {pages:?}");
        for name in pages {
            let Some(RefOr::T(Schema::Object(page))) = schemas.get(name) else { panic!("{name} is an object") };
            let Some(RefOr::T(Schema::Array(items))) = page.properties.get("items") else {
                panic!("{name}.items is an array")
            };
            let ArrayItems::RefOrSchema(item) = &items.items else { panic!("{name}.items has a schema") };
            let RefOr::Ref(reference) = item.as_ref() else { panic!("{name}.items is inlined") };
            assert_eq!(reference.ref_location, format!("#/components/schemas/{}", &name["Page_".len()..]));
        }
    }
}
