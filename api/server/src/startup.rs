//! Builds the application: routes (and with them the OpenAPI document), middleware, Swagger UI,
//! metrics and the single-page app; then serves it.

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anjoman_core::auth::ScopeKind;
use anjoman_core::http::{AppState, json_config, path_config, query_config};
use anjoman_core::platform::worker::OutboxWorker;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::{health, middleware, openapi::ApiDoc, spa};

/// Scripts, fonts and data only from this origin. Inline styles are allowed because MUI (emotion)
/// and Swagger UI inject them; inline images (`data:`) for the captcha.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Each domain's audit-log scopes by object type (see `anjoman_core::audit::register_scopes`).
pub fn register_audit_scopes() {
    for scopes in [
        anjoman_associations::audit_scopes(),
        anjoman_elections::audit_scopes(),
        anjoman_officers::audit_scopes(),
        anjoman_engineers::audit_scopes(),
        anjoman_integrations::audit_scopes(),
    ] {
        anjoman_core::audit::register_scopes(&scopes);
    }
}

/// What the domains plug into one another: who may read which files, what locks profiles.
pub fn hooks() -> anjoman_core::http::Hooks {
    anjoman_core::http::Hooks {
        file_readers: vec![anjoman_associations::messages::may_read_attachment],
        profile_locks: vec![anjoman_elections::voting::election_lock],
        sms_recovery_guards: vec![anjoman_elections::voting::election_lock],
        inbound_sms: vec![anjoman_elections::voting::codes::inbound_vote_code],
        payment_handlers: vec![
            (anjoman_officers::PAYMENT_PURPOSE, anjoman_officers::requests::http::on_paid),
            (anjoman_engineers::PAYMENT_PURPOSE, anjoman_engineers::renewals::on_paid),
        ],
        scope_names: vec![
            (ScopeKind::Association, anjoman_associations::store::scope_names),
            (ScopeKind::Province, anjoman_officers::reference::province_names),
            (ScopeKind::Distributor, anjoman_officers::distributors::store::scope_names),
        ],
        frozen_rolls: vec![anjoman_elections::voting::frozen_rolls_holding],
        sso_subjects: vec![anjoman_engineers::api::on_record],
        standings: vec![anjoman_officers::api::standing, anjoman_engineers::api::standing],
    }
}

/// Every documented route. The OpenAPI document is collected from these same calls.
pub fn routes<T>(app: App<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.into_utoipa_app().openapi(ApiDoc::openapi()).service(health::healthz).service(health::readyz).service(
        scope::scope("/api/v1")
            .configure(anjoman_identity::configure)
            .configure(anjoman_associations::configure)
            .configure(anjoman_elections::configure)
            .configure(anjoman_officers::configure)
            .configure(anjoman_engineers::configure)
            .configure(anjoman_integrations::configure)
            .configure(anjoman_core::platform::http::configure),
    )
}

/// The whole application for one worker.
pub fn app(
    state: AppState,
    metrics: PrometheusHandle,
    web_dir: PathBuf,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max_body = state.config.max_body_bytes;
    let (app, mut api) = routes(App::new()).split_for_parts();
    crate::openapi::add_common_responses(&mut api);
    app.app_data(web::Data::new(state))
        .app_data(json_config(max_body))
        .app_data(web::PayloadConfig::new(max_body))
        .app_data(query_config())
        .app_data(path_config())
        .app_data(web::Data::new(metrics))
        .route("/metrics", web::get().to(render_metrics))
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
        .configure(|cfg| spa::configure(cfg, &web_dir))
        .wrap(from_fn(crate::limits::enforce))
        .wrap(from_fn(middleware::body_idle_timeout))
        .wrap(from_fn(middleware::browser_policy))
        .wrap(from_fn(middleware::observe))
        .wrap(
            DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("X-Frame-Options", "DENY"))
                .add(("Referrer-Policy", "no-referrer"))
                .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY)),
        )
}

async fn render_metrics(handle: web::Data<PrometheusHandle>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(handle.render())
}

/// Serves until the process is told to stop.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    let config = state.config.clone();
    if !config.captcha_enabled {
        tracing::warn!("ANJOMAN_CAPTCHA=off: captcha checks are disabled; use this for automated tests only");
    }
    let metrics = PrometheusBuilder::new().install_recorder().map_err(std::io::Error::other)?;
    if config.workers {
        let worker = OutboxWorker::new(state.pool.clone(), config.clone()).map_err(std::io::Error::other)?;
        actix_web::rt::spawn(worker.run());
    }
    let listener = TcpListener::bind(&config.bind)?;
    let addr = listener.local_addr()?;
    anjoman_core::platform::payments::set_sandbox_address(addr);
    if config.workers {
        actix_web::rt::spawn(anjoman_core::platform::payments::reconcile_forever(state.clone()));
        actix_web::rt::spawn(anjoman_elections::worker::run_forever(state.pool.clone(), config.clone()));
    }
    let web_dir = config.web_dir.clone();
    // Slow clients: the request head must arrive within the header timeout and an idle
    // connection is closed after the keep-alive (bodies: `middleware::body_idle_timeout`).
    let server = HttpServer::new(move || app(state.clone(), metrics.clone(), web_dir.clone()))
        .client_request_timeout(config.client_header_timeout)
        .keep_alive(config.keep_alive)
        .listen(listener)?
        .run();
    // Tests and scripts read this line to learn the port (ANJOMAN_BIND may use port 0).
    println!("anjoman listening on http://{addr}");
    tracing::info!(%addr, "listening");
    server.await
}
