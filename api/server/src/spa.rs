//! Serves the built single-page app with history fallback: any path that is not a file and not
//! under `/api/` gets `index.html`, so client-side routes survive a reload.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, web};

const PLACEHOLDER: &str = r#"<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>انجمن</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.8">
<h1>انجمن — Anjoman</h1>
<p>رابط کاربری وب هنوز ساخته نشده است. مستندات API در <a href="/api/docs/">/api/docs/</a> است.</p>
<p dir="ltr">The web client has not been built. The API documentation is at <a href="/api/docs/">/api/docs/</a>.</p>
</body></html>"#;

pub fn configure(cfg: &mut web::ServiceConfig, web_dir: &Path) {
    let index = web_dir.join("index.html");
    if index.is_file() {
        cfg.service(Files::new("/", web_dir).index_file("index.html").default_handler(fn_service(
            move |req: ServiceRequest| {
                let index: PathBuf = index.clone();
                async move {
                    let (req, _) = req.into_parts();
                    if req.path().starts_with("/api/") {
                        return Ok(ServiceResponse::new(req, HttpResponse::NotFound().finish()));
                    }
                    let res = NamedFile::open_async(&index).await?.into_response(&req);
                    Ok(ServiceResponse::new(req, res))
                }
            },
        )));
    } else {
        cfg.route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().content_type("text/html; charset=utf-8").body(PLACEHOLDER) }),
        );
    }
}
