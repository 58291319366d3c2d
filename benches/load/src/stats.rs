//! What a scenario measured: latencies per step, waits that are not requests, errors, and the
//! server's resident memory sampled from /proc.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Inner {
    steps: BTreeMap<&'static str, Vec<u32>>,
    waits: BTreeMap<&'static str, Vec<u32>>,
    errors: BTreeMap<String, u64>,
    done: u64,
}

/// Shared by a scenario's workers; latencies kept in microseconds.
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Inner>>);

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

impl Recorder {
    /// One HTTP request of the step `name`.
    pub fn step(&self, name: &'static str, took: Duration) {
        self.0.lock().unwrap().steps.entry(name).or_default().push(micros(took));
    }

    /// Time spent waiting for something outside the server's answer (an SMS arriving).
    pub fn wait(&self, name: &'static str, took: Duration) {
        self.0.lock().unwrap().waits.entry(name).or_default().push(micros(took));
    }

    pub fn error(&self, what: String) {
        *self.0.lock().unwrap().errors.entry(what).or_default() += 1;
    }

    /// One whole unit of the scenario (a session, a login, a search) finished without error.
    pub fn complete(&self) {
        self.0.lock().unwrap().done += 1;
    }

    pub fn report(&self, elapsed: Duration) -> Report {
        let inner = self.0.lock().unwrap();
        let mut all: Vec<u32> = inner.steps.values().flatten().copied().collect();
        let steps = inner.steps.iter().map(|(k, v)| (*k, Quantiles::of(v.clone()))).collect();
        let waits = inner.waits.iter().map(|(k, v)| (*k, Quantiles::of(v.clone()))).collect();
        all.sort_unstable();
        Report {
            done: inner.done,
            per_second: inner.done as f64 / elapsed.as_secs_f64(),
            requests: Quantiles::of(all),
            steps,
            waits,
            errors: inner.errors.clone(),
            elapsed,
            peak_rss_mib: 0.0,
        }
    }
}

/// Latency quantiles in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quantiles {
    pub count: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Quantiles {
    fn of(mut v: Vec<u32>) -> Self {
        if v.is_empty() {
            return Self::default();
        }
        v.sort_unstable();
        let at = |q: f64| f64::from(v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1]) / 1000.0;
        Self { count: v.len(), p50: at(0.50), p95: at(0.95), p99: at(0.99), max: at(1.0) }
    }
}

impl std::fmt::Display for Quantiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "n={:<7} p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
            self.count, self.p50, self.p95, self.p99, self.max
        )
    }
}

pub struct Report {
    pub done: u64,
    pub per_second: f64,
    pub requests: Quantiles,
    pub steps: Vec<(&'static str, Quantiles)>,
    pub waits: Vec<(&'static str, Quantiles)>,
    pub errors: BTreeMap<String, u64>,
    pub elapsed: Duration,
    pub peak_rss_mib: f64,
}

impl Report {
    pub fn print(&self, name: &str, unit: &str) {
        println!(
            "{name}: {:.1} {unit}/s ({} in {:.1} s), peak anjoman RSS {:.1} MiB",
            self.per_second,
            self.done,
            self.elapsed.as_secs_f64(),
            self.peak_rss_mib
        );
        println!("  all requests  {}", self.requests);
        for (step, q) in &self.steps {
            println!("  {step:<13} {q}");
        }
        for (wait, q) in &self.waits {
            println!("  wait {wait:<8} {q}");
        }
        let errors: u64 = self.errors.values().sum();
        println!("  errors {errors}");
        for (what, n) in &self.errors {
            println!("    {n} × {what}");
        }
    }
}

/// Resident memory of a process in KiB, from /proc.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Samples a process's RSS every 50 ms; `take_peak` returns the highest since the last call.
pub struct RssWatch {
    peak: Arc<AtomicU64>,
    overall: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl RssWatch {
    pub fn start(pid: u32) -> Self {
        let (peak, overall, stop) =
            (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
        let (p, o, s) = (peak.clone(), overall.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    p.fetch_max(kib, Ordering::Relaxed);
                    o.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Self { peak, overall, stop }
    }

    pub fn take_peak_mib(&self) -> f64 {
        self.peak.swap(0, Ordering::Relaxed) as f64 / 1024.0
    }

    pub fn overall_mib(&self) -> f64 {
        self.overall.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for RssWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Runs `workers` copies of `unit` until `seconds` have passed; returns the wall time.
pub async fn closed_loop<F, Fut>(workers: usize, seconds: u64, unit: F) -> Duration
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let unit = Arc::new(unit);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for w in 0..workers {
        let unit = unit.clone();
        tasks.push(tokio::spawn(async move {
            let mut round = 0u64;
            while Instant::now() < deadline {
                if !unit(w, round).await {
                    break;
                }
                round += 1;
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    start.elapsed()
}
