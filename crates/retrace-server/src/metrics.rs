//! Prometheus metrics, in the text exposition format (hand-written: a few
//! counters, gauges and one histogram need no library).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Default)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

/// Counters of a running server.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    in_flight: AtomicI64,
    commits: AtomicU64,
    commit_failures: AtomicU64,
    commit_seconds: Mutex<f64>,
}

impl Metrics {
    /// A request started: in flight until the guard is dropped.
    pub fn start(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    /// A request was answered.
    pub fn finish(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((method.to_string(), route.to_string(), status))
                .or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            let h = m.entry(route.to_string()).or_default();
            if h.counts.is_empty() {
                h.counts = vec![0; BUCKETS.len()];
            }
            let s = elapsed.as_secs_f64();
            for (c, b) in h.counts.iter_mut().zip(BUCKETS) {
                if s <= *b {
                    *c += 1;
                }
            }
            h.sum += s;
            h.count += 1;
        }
    }

    /// The writer committed a batch (or failed to).
    pub fn commit(&self, ok: bool, elapsed: Duration) {
        if ok {
            self.commits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.commit_failures.fetch_add(1, Ordering::Relaxed);
        }
        if let Ok(mut s) = self.commit_seconds.lock() {
            *s += elapsed.as_secs_f64();
        }
    }

    /// The exposition text; `documents`: documents in the index, if known;
    /// `slots`: (busy, total) concurrency slots.
    pub fn render(&self, documents: Option<u64>, slots: (usize, usize)) -> String {
        let mut o = String::new();
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        o.push_str("# HELP retrace_http_requests_total HTTP requests answered, by method, route and status.\n");
        o.push_str("# TYPE retrace_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((method, route, status), n) in m.iter() {
                let _ = writeln!(
                    o,
                    "retrace_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    esc(method),
                    esc(route)
                );
            }
        }
        o.push_str(
            "# HELP retrace_http_request_duration_seconds Time to answer a request, by route.\n",
        );
        o.push_str("# TYPE retrace_http_request_duration_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                let r = esc(route);
                for (c, b) in h.counts.iter().zip(BUCKETS) {
                    let _ = writeln!(
                        o,
                        "retrace_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {c}"
                    );
                }
                let _ = writeln!(
                    o,
                    "retrace_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    o,
                    "retrace_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    o,
                    "retrace_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                    h.count
                );
            }
        }
        o.push_str("# HELP retrace_http_requests_in_flight Requests being handled now.\n");
        o.push_str("# TYPE retrace_http_requests_in_flight gauge\n");
        let _ = writeln!(
            o,
            "retrace_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        o.push_str("# HELP retrace_concurrency_slots_busy Concurrency slots taken (engine work keeps its slot until done, even after its client left).\n");
        o.push_str("# TYPE retrace_concurrency_slots_busy gauge\n");
        let _ = writeln!(o, "retrace_concurrency_slots_busy {}", slots.0);
        o.push_str(
            "# HELP retrace_concurrency_slots Concurrency slots in all (--max-concurrency).\n",
        );
        o.push_str("# TYPE retrace_concurrency_slots gauge\n");
        let _ = writeln!(o, "retrace_concurrency_slots {}", slots.1);
        o.push_str("# HELP retrace_index_commits_total Commits of the writer, by result.\n");
        o.push_str("# TYPE retrace_index_commits_total counter\n");
        let _ = writeln!(
            o,
            "retrace_index_commits_total{{result=\"ok\"}} {}",
            self.commits.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            o,
            "retrace_index_commits_total{{result=\"error\"}} {}",
            self.commit_failures.load(Ordering::Relaxed)
        );
        o.push_str("# HELP retrace_index_commit_seconds_total Time the writer spent on batches (apply and commit).\n");
        o.push_str("# TYPE retrace_index_commit_seconds_total counter\n");
        let _ = writeln!(
            o,
            "retrace_index_commit_seconds_total {}",
            self.commit_seconds.lock().map_or(0.0, |s| *s)
        );
        if let Some(d) = documents {
            o.push_str("# HELP retrace_index_documents Documents in the index (committed).\n");
            o.push_str("# TYPE retrace_index_documents gauge\n");
            let _ = writeln!(o, "retrace_index_documents {d}");
        }
        o
    }
}

/// Counts a request as in flight while it lives.
pub struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}
