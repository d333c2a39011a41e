//! Stage 10: watch and serve. Three parts joined by an `Arc<ServeState>`:
//!
//! 1. a watcher (notify's debouncer → [`watch::classify`] → `Vec<Change>`),
//! 2. a rebuild loop (in-memory build → swap the site → bump the generation →
//!    tell the live-reload subscribers), see `rebuild`,
//! 3. connections, each read and answered on a thread of its own ([`connection`])
//!    from memory with [`http`]'s pure `respond`; a live-reload WebSocket stays on
//!    its connection's thread (`reload`).
//!
//! The site is never written to disk, and nothing here prints: events go to the
//! caller's handler.

mod connection;
mod http;
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
        connection::wake(self.address);
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
    let listener = bind(requested)?;
    let address = listener.local_addr().unwrap_or(requested);
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
    let http_state = Arc::clone(&state);
    threads.push(spawn("http", move || {
        connection::accept_loop(&listener, &http_state)
    })?);
    Ok(Running {
        address,
        url,
        state,
        threads,
    })
}

fn bind(address: SocketAddr) -> Result<std::net::TcpListener> {
    std::net::TcpListener::bind(address).map_err(|error| {
        let message = if error.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} is already in use (another `studysite serve`?)\nhelp: pick another port with -p, or -p 0 for a free one",
                address.port()
            )
        } else {
            error.to_string()
        };
        Error::Serve {
            address: address.to_string(),
            message,
        }
    })
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
