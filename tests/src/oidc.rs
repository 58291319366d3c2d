//! A real OpenID Connect provider for the single sign-on tests: panva's certified
//! `oidc-provider` (npm), run by `tests/oidc-provider/provider.mjs`, and a browser-like client
//! that goes through its login and consent pages.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::workspace_root;

/// The public address the test servers announce, so the provider's registered redirect URI is
/// known before either starts; the client delivers the callback to the real address.
pub const PUBLIC_URL: &str = "http://anjoman.test";
pub const CALLBACK: &str = "http://anjoman.test/api/v1/auth/sso/callback";
pub const CLIENT_ID: &str = "anjoman";
pub const CLIENT_SECRET: &str = "anjoman-test-secret";
pub const OTHER_CLIENT_ID: &str = "other-app";
pub const OTHER_CLIENT_SECRET: &str = "other-app-secret";

/// A running provider; stopped when dropped.
pub struct Provider {
    child: Child,
    pub issuer: String,
}

impl Provider {
    /// Starts a provider on a free loopback port. With `jwks`, its signing key is kept in (or read
    /// from) that file, so two providers can share a key.
    pub fn start(jwks: Option<&Path>) -> Self {
        let dir = workspace_root().join("tests/oidc-provider");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "tests/oidc-provider/node_modules is missing: run `cd tests/oidc-provider && npm ci` (make test does)"
        );
        let mut cmd = Command::new("node");
        cmd.arg("provider.mjs").args(["--redirect-uri", CALLBACK]).current_dir(&dir);
        if let Some(file) = jwks {
            cmd.arg("--jwks").arg(file);
        }
        let mut child =
            cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("node runs");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).expect("provider output");
        // Keep reading what it prints, or its next notice would meet a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let issuer =
            line.trim().strip_prefix("READY ").unwrap_or_else(|| panic!("provider did not start: {line}")).to_owned();
        Self { child, issuer }
    }

    /// The anjoman configuration that trusts this provider.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ANJOMAN_OIDC_ISSUER", self.issuer.clone()),
            ("ANJOMAN_OIDC_CLIENT_ID", CLIENT_ID.into()),
            ("ANJOMAN_OIDC_CLIENT_SECRET", CLIENT_SECRET.into()),
            ("ANJOMAN_OIDC_SCOPES", "openid national_code".into()),
            ("ANJOMAN_PUBLIC_URL", PUBLIC_URL.into()),
        ]
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser: keeps cookies, shows redirects instead of following them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

fn absolute(base: &str, location: &str) -> String {
    reqwest::Url::parse(base).and_then(|b| b.join(location)).expect("a location").to_string()
}

/// Follows redirects from `url`, signing in at the provider as `login` (the national code typed
/// on its login page) and consenting, until the provider sends the browser back to
/// [`CALLBACK`]; answers that callback URL.
pub async fn sign_in_at_provider(browser: &reqwest::Client, url: &str, login: &str) -> String {
    let mut current = url.to_owned();
    for _ in 0..12 {
        if current.starts_with(CALLBACK) {
            return current;
        }
        let res = browser.get(&current).send().await.expect("provider answers");
        if res.status().is_redirection() {
            let location = res.headers()["location"].to_str().expect("location").to_owned();
            current = absolute(&current, &location);
            continue;
        }
        let page = res.text().await.expect("a page");
        let prompt = if page.contains(r#"name="prompt" value="login""#) {
            "login"
        } else if page.contains(r#"name="prompt" value="consent""#) {
            "consent"
        } else {
            panic!("unexpected provider page at {current}: {page}")
        };
        let form: Vec<(&str, &str)> = if prompt == "login" {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            vec![("prompt", "consent")]
        };
        let res = browser.post(&current).form(&form).send().await.expect("provider answers");
        assert!(res.status().is_redirection(), "the {prompt} form answers with a redirect");
        current = absolute(&current, res.headers()["location"].to_str().expect("location"));
    }
    panic!("the provider never sent the browser back")
}

/// The value of a query parameter of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Runs a whole authorization-code flow with PKCE at `issuer` as `client_id`, outside anjoman;
/// answers the ID token and the nonce it carries.
pub async fn obtain_id_token(issuer: &str, client_id: &str, secret: &str, login: &str) -> (String, String) {
    let (state, nonce, verifier) = (random(), random(), random());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let mut auth = reqwest::Url::parse(&format!("{issuer}/auth")).expect("url");
    auth.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", CALLBACK)
        .append_pair("scope", "openid national_code")
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let back = sign_in_at_provider(&browser(), auth.as_str(), login).await;
    let code = query_param(&back, "code").expect("a code");
    let tokens: serde_json::Value = reqwest::Client::new()
        .post(format!("{issuer}/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .expect("token endpoint")
        .json()
        .await
        .expect("tokens");
    (tokens["id_token"].as_str().expect("an ID token").to_owned(), nonce)
}
