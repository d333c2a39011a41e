//! Stage 10: watch and serve. Three parts joined by an `Arc<ServeState>`:
//!
//! 1. a watcher (notify's debouncer → [`watch::classify`] → `Vec<Change>`),
//! 2. a rebuild loop (in-memory build → swap the site → bump the generation →
//!    tell the live-reload subscribers), see `rebuild`,
//! 3. tiny_http requests, each answered on its connection's thread ([`http_dispatch`])
//!    from memory with [`http`]'s pure `respond`,
//!    and handing live-reload WebSockets to their own threads (`reload`).
//!
//! The site is never written to disk, and nothing here prints: events go to the
//! caller's handler.

mod http;
mod http_dispatch;
mod rebuild;
mod reload;
mod state;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::build::{build_cached, BuildCache, BuildOptions, BuildReport, BuiltSite, OutputTarget};
use crate::error::{Error, Result};
pub use state::BuildFailure;
use state::ServeState;
pub use watch::{classify, Change, ChangeKind};

/// Largest request body serve lets tiny_http drain (serve reads none: GET and HEAD only).
const MAX_BODY: usize = 1 << 20;

/// Told about what the server does, so the caller can print it.
pub type EventHandler = Arc<dyn Fn(&ServeEvent<'_>) + Send + Sync>;

/// Something the serve loop did.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// A rebuild succeeded and is being served.
    Rebuilt {
        /// The generation now served.
        generation: u64,
        /// The changes that caused it.
        changes: &'a [Change],
        /// What the build did.
        report: &'a BuildReport,
        /// When the edited pages were served ahead of it, from its start (see `Previewed`).
        previewed: Option<Duration>,
    },
    /// The pages of the notes a change edited are served ahead of the rest
    /// of their rebuild (see `build::preview`), which follows as `Rebuilt`.
    Previewed {
        /// The generation now served.
        generation: u64,
        /// The changes that caused it.
        changes: &'a [Change],
        /// The URL paths of the pages served anew.
        pages: &'a [String],
        /// From the start of the rebuild to the pages being served.
        elapsed: Duration,
    },
    /// A rebuild failed; the last good site is still served.
    Failed {
        /// The changes that caused it.
        changes: &'a [Change],
        /// Why.
        error: &'a Error,
    },
    /// The file watcher reported a problem.
    WatchFailed(&'a Error),
}

/// Options for [`serve`] and [`start`].
#[derive(Clone)]
pub struct ServeOptions {
    /// The site root (holding site.toml and content/).
    pub root: PathBuf,
    /// Address to listen on; loopback unless asked otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Quiet time before a burst of file events becomes one rebuild.
    pub debounce: Duration,
    /// Receives rebuilds and errors.
    pub on_event: EventHandler,
}

impl ServeOptions {
    /// Serves `root` on 127.0.0.1:1111, logging events.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            drafts: false,
            debounce: Duration::from_millis(10),
            on_event: Arc::new(log_event),
        }
    }
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("root", &self.root)
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("drafts", &self.drafts)
            .field("debounce", &self.debounce)
            .finish_non_exhaustive()
    }
}

fn log_event(event: &ServeEvent<'_>) {
    match event {
        ServeEvent::Previewed { generation, .. } => {
            log::info!("previewed (generation {generation})");
        }
        ServeEvent::Rebuilt { generation, .. } => log::info!("rebuilt (generation {generation})"),
        ServeEvent::Failed { error, .. } => log::error!("{error}"),
        ServeEvent::WatchFailed(error) => log::warn!("{error}"),
    }
}

/// Builds the site into memory, serves it and rebuilds on every change, until
/// the process ends.
pub fn serve(options: ServeOptions) -> Result<()> {
    start(options)?.wait();
    Ok(())
}

/// A running server; dropping it (or [`Running::shutdown`]) stops every thread.
pub struct Running {
    address: SocketAddr,
    url: String,
    state: Arc<ServeState>,
    server: Arc<tiny_http::Server>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    /// The address actually bound (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The site's URL, base path included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the server listens beyond this machine.
    pub fn is_public(&self) -> bool {
        !self.address.ip().is_loopback()
    }

    /// Number of good builds served so far (1 after the first build).
    pub fn generation(&self) -> u64 {
        self.state.generation()
    }

    /// The last rebuild's error, until a good build clears it.
    pub fn last_error(&self) -> Option<BuildFailure> {
        self.state.last_error()
    }

    /// The site being served now.
    pub fn site(&self) -> Arc<BuiltSite> {
        self.state.site()
    }

    /// Open live-reload channels.
    pub fn subscribers(&self) -> usize {
        self.state.hub.len()
    }

    /// Blocks while the server runs.
    pub fn wait(mut self) {
        for thread in std::mem::take(&mut self.threads) {
            if thread.join().is_err() {
                log::error!("a serve thread panicked");
            }
        }
    }

    /// Stops the watcher, the HTTP dispatcher and every live-reload channel.
    pub fn shutdown(self) {}
}

impl Drop for Running {
    fn drop(&mut self) {
        self.state.stop();
        self.server.unblock();
        for thread in std::mem::take(&mut self.threads) {
            if thread.join().is_err() {
                log::error!("a serve thread panicked");
            }
        }
    }
}

/// Builds the site, binds the port and starts the watcher and the HTTP dispatcher.
pub fn start(options: ServeOptions) -> Result<Running> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| Error::io(&options.root, e))?;
    let build_options = BuildOptions {
        target: OutputTarget::Memory,
        drafts: options.drafts,
        ..BuildOptions::new(&root)
    };
    // Unchanged notes keep their rendering from one build to the next.
    let cache = BuildCache::new();
    let (_, site) = build_cached(&build_options, &cache)?;
    let requested = SocketAddr::new(options.bind, options.port);
    let server = Arc::new(bind(requested)?);
    let address = server.server_addr().to_ip().unwrap_or(requested);
    let url = site_url(address, &site.base_path);
    let state = Arc::new(ServeState::new(root.clone(), site, instance_id()));

    let (events, receiver) = mpsc::channel();
    let watcher = watch::Watcher::start(&root, options.debounce, events)?;
    let mut threads = Vec::with_capacity(2);
    let looper = rebuild::RebuildLoop {
        state: Arc::clone(&state),
        build_options,
        cache,
        on_event: options.on_event,
        watcher,
    };
    threads.push(spawn("rebuild", move || looper.run(&receiver))?);
    let (http_server, http_state) = (Arc::clone(&server), Arc::clone(&state));
    threads.push(spawn("http", move || {
        http_dispatch::dispatch(&http_server, &http_state)
    })?);
    Ok(Running {
        address,
        url,
        state,
        server,
        threads,
    })
}

fn bind(address: SocketAddr) -> Result<tiny_http::Server> {
    let serve_error = |message: String| Error::Serve {
        address: address.to_string(),
        message,
    };
    let listener = match std::net::TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(serve_error(format!(
                "port {} is already in use (another `studysite serve`?)\nhelp: pick another port with -p, or -p 0 for a free one",
                address.port()
            )))
        }
        Err(error) => return Err(serve_error(error.to_string())),
    };
    set_write_timeout(&listener).map_err(|e| serve_error(e.to_string()))?;
    tiny_http::Server::from_listener(listener, None).map_err(|e| serve_error(e.to_string()))
}

/// Longest a write to a client may block.
///
/// tiny_http sets no timeouts, and a response is written by the worker that made it,
/// so a client that requested pages and never read them held every worker in a
/// blocked write, and serve stopped answering anyone. Linux copies the option from
/// the listening socket to each accepted one; tiny_http then ends a connection
/// whose write times out. (Not a receive timeout: on the listening socket that
/// would time out `accept`, which ends tiny_http's accept loop.)
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

fn set_write_timeout(listener: &std::net::TcpListener) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let timeout = libc::timeval {
        tv_sec: WRITE_TIMEOUT.as_secs() as libc::time_t,
        tv_usec: 0,
    };
    // SAFETY: a valid socket fd, and a pointer to a timeval of the size given.
    let result = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDTIMEO,
            (&raw const timeout).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    match result {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

fn site_url(address: SocketAddr, base_path: &str) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}{base_path}", address.port())
}

/// Differs between runs, so open pages notice a restart.
fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{:x}", nanos, std::process::id())
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map_err(|e| Error::Serve {
            address: String::new(),
            message: format!("cannot start a thread: {e}"),
        })
}

/// Answers one request (on its connection's thread, see [`http_dispatch`]).
fn handle(request: tiny_http::Request, state: &Arc<ServeState>) {
    // tiny_http drains a request's unread body when the request is dropped, into
    // one buffer of the whole declared length: a GET declaring a 100 GB body
    // aborted serve. Such a request is left unanswered and never dropped; its
    // connection stays open until the client gives up.
    if let Some(length) = request.body_length().filter(|&n| n > MAX_BODY) {
        log::warn!("http: not answering a request that declares a {length}-byte body");
        std::mem::forget(request);
        return;
    }
    let path = request.url().split('?').next().unwrap_or_default();
    if path == reload::CHANNEL_URL {
        reload::accept(request, state);
        return;
    }
    let reply = http::respond(request.method().as_str(), request.url(), state);
    let length = reply.body.len();
    let body = bytes::Buf::reader(reply.body);
    let mut response =
        tiny_http::Response::new(reply.status.into(), Vec::new(), body, Some(length), None)
            .with_header(header("Content-Type", reply.content_type))
            .with_header(header("Cache-Control", "no-store"));
    if let Some(location) = &reply.location {
        // The raw path came from the request line; a non-ASCII one cannot be a header.
        match tiny_http::Header::from_bytes("Location", location.as_bytes()) {
            Ok(value) => response.add_header(value),
            Err(()) => log::debug!("http: cannot redirect to {location:?}"),
        }
    }
    if reply.status == 405 {
        response.add_header(header("Allow", "GET, HEAD"));
    }
    if let Err(error) = request.respond(response) {
        log::debug!("http: client went away: {error}");
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name, value).expect("serve's headers are valid")
}

/// For the fuzz target: answers `method raw_path` from a small site whose one copied
/// file is `root/inside.txt`, and returns the status and body.
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub fn fuzz_request(root: PathBuf, method: &str, raw_path: &str) -> (u16, Vec<u8>) {
    use crate::build::OutputFile;
    let site = BuiltSite {
        files: vec![
            OutputFile::bytes("404.html", "<body>missing</body>"),
            OutputFile::bytes("a/index.html", "<body>a</body>"),
            OutputFile {
                path: "a/inside.txt".into(),
                body: crate::build::OutputBody::Copy("inside.txt".into()),
            },
        ],
        base_path: "/base/".into(),
    };
    let state = ServeState::new(root, site, "fuzz".into());
    let reply = http::respond(method, raw_path, &state);
    (reply.status, reply.body.to_vec())
}
