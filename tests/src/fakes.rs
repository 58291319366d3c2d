//! Real servers for the outside world, started by the tests: an SMTP sink and an HTTP SMS
//! gateway in the shape of Kavenegar's API. Both speak their protocol over TCP on loopback.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One e-mail as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The body, decoded from base64 or quoted-printable as its headers say.
    pub fn text(&self) -> String {
        let (headers, body) = self.data.split_once("\r\n\r\n").unwrap_or((&self.data, ""));
        let lower = headers.to_ascii_lowercase();
        if lower.contains("content-transfer-encoding: base64") {
            let joined: String = body.lines().map(str::trim).collect();
            let bytes = base64::engine::general_purpose::STANDARD.decode(joined).unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        } else if lower.contains("content-transfer-encoding: quoted-printable") {
            decode_quoted_printable(body)
        } else {
            body.to_owned()
        }
    }

    pub fn subject(&self) -> String {
        self.data.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or_default().to_owned()
    }
}

fn decode_quoted_printable(s: &str) -> String {
    let mut out = Vec::new();
    let bytes = s.replace("=\r\n", "").into_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or(""), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A minimal SMTP server that accepts every message and keeps it.
pub struct SmtpSink {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// On a chosen port (0: any), e.g. the port a server was told of while the sink was down.
    pub async fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read);
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let (mut from, mut to) = (String::new(), Vec::new());
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let upper = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                            b"250-sink\r\n250 8BITMIME\r\n"
                        } else if upper.starts_with("MAIL FROM:") {
                            from = line.trim_end()[10..].trim().to_owned();
                            b"250 OK\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            to.push(line.trim_end()[8..].trim().trim_matches(['<', '>']).to_owned());
                            b"250 OK\r\n"
                        } else if upper == "DATA" {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            loop {
                                line.clear();
                                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                    return;
                                }
                                if line == ".\r\n" || line == ".\n" {
                                    break;
                                }
                                data.push_str(
                                    line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line),
                                );
                            }
                            store.lock().unwrap().push(Mail { from: from.clone(), to: std::mem::take(&mut to), data });
                            b"250 queued\r\n"
                        } else if upper == "QUIT" {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"250 OK\r\n"
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { port, mails }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits until a message to `to` arrives.
    pub async fn wait_for(&self, to: &str) -> Mail {
        for _ in 0..200 {
            if let Some(m) = self.mails.lock().unwrap().iter().find(|m| m.to.iter().any(|t| t == to)) {
                return m.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no e-mail to {to} within 10 s");
    }
}

/// One request the SMS gateway received.
#[derive(Debug, Clone)]
pub struct GatewayCall {
    pub path: String,
    pub form: HashMap<String, String>,
    /// Whether the gateway accepted it (it refuses the first `fail_first` sends).
    pub accepted: bool,
}

/// One HTTP/1.1 request as the fakes read it: the path, headers (names in lower case), body.
struct HttpRequest {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

async fn read_request(read: tokio::net::tcp::OwnedReadHalf) -> Option<HttpRequest> {
    let mut reader = BufReader::new(read);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).await.unwrap_or(0) == 0 {
        return None;
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
    let mut headers = HashMap::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0usize);
    let mut body = vec![0u8; length];
    let _ = reader.read_exact(&mut body).await;
    Some(HttpRequest { path, headers, body })
}

/// An HTTP server answering like Kavenegar: `sms/send`, `verify/lookup`, `sms/status`.
pub struct SmsGateway {
    pub port: u16,
    pub calls: Arc<Mutex<Vec<GatewayCall>>>,
    /// Accepted sends by receptor (indexes into `calls`), so a lookup stays cheap when a load
    /// benchmark has sent tens of thousands of texts.
    by_mobile: Arc<Mutex<HashMap<String, Vec<usize>>>>,
    /// Woken on every accepted send.
    arrived: Arc<tokio::sync::Notify>,
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                if let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or(""), 16) {
                    out.push(b);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_form(body: &str) -> HashMap<String, String> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('=').map(|(k, v)| (url_decode(k), url_decode(v))))
        .collect()
}

impl SmsGateway {
    /// Starts the gateway; it answers HTTP 500 to the first `fail_first` sends.
    pub async fn start(fail_first: usize) -> Self {
        Self::start_on(0, fail_first).await
    }

    /// On a chosen port (0: any), e.g. the port a server was told of while the gateway was down.
    pub async fn start_on(port: u16, fail_first: usize) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind SMS gateway");
        let port = listener.local_addr().unwrap().port();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let by_mobile = Arc::new(Mutex::new(HashMap::<String, Vec<usize>>::new()));
        let arrived = Arc::new(tokio::sync::Notify::new());
        let (store, index, bell) = (calls.clone(), by_mobile.clone(), arrived.clone());
        let refusals = Arc::new(Mutex::new(fail_first));
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, refusals, index, bell) = (store.clone(), refusals.clone(), index.clone(), bell.clone());
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let Some(request) = read_request(read).await else { return };
                    let (path, body) = (request.path, request.body);
                    let form = parse_form(&String::from_utf8_lossy(&body));
                    let is_send = path.ends_with("/sms/send.json") || path.ends_with("/verify/lookup.json");
                    let (status, json, accepted) = if is_send {
                        let mut left = refusals.lock().unwrap();
                        if *left > 0 {
                            *left -= 1;
                            (500, r#"{"return":{"status":500,"message":"temporary failure"}}"#.to_owned(), false)
                        } else {
                            let id = store.lock().unwrap().len() + 1000;
                            (
                                200,
                                format!(
                                    r#"{{"return":{{"status":200,"message":"ok"}},"entries":[{{"messageid":{id},"status":1}}]}}"#
                                ),
                                true,
                            )
                        }
                    } else if path.ends_with("/sms/status.json") {
                        let id = form.get("messageid").cloned().unwrap_or_default();
                        (
                            200,
                            format!(
                                r#"{{"return":{{"status":200,"message":"ok"}},"entries":[{{"messageid":{id},"status":10}}]}}"#
                            ),
                            true,
                        )
                    } else {
                        (404, r#"{"return":{"status":404,"message":"no such method"}}"#.to_owned(), false)
                    };
                    let receptor = form.get("receptor").cloned().filter(|_| accepted && is_send);
                    {
                        let mut calls = store.lock().unwrap();
                        if let Some(mobile) = receptor {
                            index.lock().unwrap().entry(mobile).or_default().push(calls.len());
                        }
                        calls.push(GatewayCall { path, form, accepted });
                    }
                    bell.notify_waiters();
                    let reason = if status == 200 { "OK" } else { "Error" };
                    let response = format!(
                        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                        json.len()
                    );
                    let _ = write.write_all(response.as_bytes()).await;
                    let _ = write.shutdown().await;
                });
            }
        });
        Self { port, calls, by_mobile, arrived }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The sends (text or code) the gateway accepted for this mobile.
    pub fn accepted_for(&self, mobile: &str) -> Vec<GatewayCall> {
        let calls = self.calls.lock().unwrap();
        let index = self.by_mobile.lock().unwrap();
        index.get(mobile).map(|at| at.iter().map(|i| calls[*i].clone()).collect()).unwrap_or_default()
    }

    /// Waits up to `limit` for the `n`-th (from 1) accepted send to `mobile`.
    pub async fn wait_for_nth(&self, mobile: &str, n: usize, limit: Duration) -> Option<GatewayCall> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            // Registered before looking, so a send between the look and the wait still wakes us.
            let woken = self.arrived.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if let Some(c) = self.accepted_for(mobile).into_iter().nth(n - 1) {
                return Some(c);
            }
            if tokio::time::timeout_at(deadline, woken).await.is_err() {
                return None;
            }
        }
    }

    /// Waits until an accepted send to `mobile` arrives.
    pub async fn wait_for(&self, mobile: &str) -> GatewayCall {
        match self.wait_for_nth(mobile, 1, Duration::from_secs(10)).await {
            Some(c) => c,
            None => panic!("no SMS to {mobile} within 10 s"),
        }
    }
}

/// Signs an inbound-SMS webhook body as the gateway relay does.
pub fn sign(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A real S3 protocol server (moto, from PyPI) on a free port, with one bucket.
pub struct S3Server {
    pub endpoint: String,
    pub bucket: String,
    child: std::process::Child,
}

impl S3Server {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 -m moto.server (pip install 'moto[server]')");
        // Owned at once, so the process is reaped on every path (Drop).
        let server = Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: format!("anjoman-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
            child,
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(res) = client.put(format!("{}/{}", server.endpoint, server.bucket)).send().await
                && res.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto did not start within 20 s");
    }

    /// The object keys in the bucket, straight from the server.
    pub async fn keys(&self) -> Vec<String> {
        let xml =
            reqwest::get(format!("{}/{}?list-type=2", self.endpoint, self.bucket)).await.unwrap().text().await.unwrap();
        xml.split("<Key>").skip(1).filter_map(|s| s.split("</Key>").next()).map(str::to_owned).collect()
    }
}

impl S3Server {
    /// Stops the server, as an outage would; the bucket's contents are gone with it.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One POST a [`WebhookReceiver`] got.
#[derive(Debug, Clone)]
pub struct WebhookCall {
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: String,
    /// Whether it answered 2xx (it refuses the first `fail_first`).
    pub accepted: bool,
}

/// A third party's webhook endpoint: records every POST, answers 500 to the first
/// `fail_first`, then 204.
pub struct WebhookReceiver {
    pub port: u16,
    pub calls: Arc<Mutex<Vec<WebhookCall>>>,
}

impl WebhookReceiver {
    pub async fn start(fail_first: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind webhook receiver");
        let port = listener.local_addr().unwrap().port();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let refusals = Arc::new(Mutex::new(fail_first));
        let store = calls.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, refusals) = (store.clone(), refusals.clone());
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let Some(HttpRequest { headers, body, .. }) = read_request(read).await else { return };
                    let accepted = {
                        let mut left = refusals.lock().unwrap();
                        if *left > 0 {
                            *left -= 1;
                            false
                        } else {
                            true
                        }
                    };
                    store.lock().unwrap().push(WebhookCall {
                        headers,
                        body: String::from_utf8_lossy(&body).into_owned(),
                        accepted,
                    });
                    let status = if accepted { "204 No Content" } else { "500 Internal Server Error" };
                    let response = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    let _ = write.write_all(response.as_bytes()).await;
                    let _ = write.shutdown().await;
                });
            }
        });
        Self { port, calls }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/anjoman", self.port)
    }

    /// Waits until `n` calls have arrived (at most `limit`), then returns them all.
    pub async fn wait_for_calls(&self, n: usize, limit: Duration) -> Vec<WebhookCall> {
        let until = std::time::Instant::now() + limit;
        loop {
            let calls = self.calls.lock().unwrap().clone();
            if calls.len() >= n || std::time::Instant::now() > until {
                return calls;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
