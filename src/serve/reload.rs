//! The live-reload channel: a WebSocket per open page (tungstenite's framing), kept
//! on its connection's thread, blocking on its own channel; and the `<script>` tag
//! serve adds to HTML responses.
//!
//! A WebSocket rather than SSE: ten tabs holding HTTP/1.1 streams would use up the
//! browser's connections per host.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use tungstenite::protocol::Role;
use tungstenite::WebSocket;

use super::connection;
use super::http::Reply;
use super::state::{BuildFailure, ServeState};

/// The live-reload script, served from memory; the overlay markup is built there.
pub(crate) const LIVERELOAD_JS: &str = include_str!("../../themes/default/serve/livereload.js");
/// Where the script is served.
pub(crate) const SCRIPT_URL: &str = "/__studysite/livereload.js";
/// The WebSocket endpoint.
pub(crate) const CHANNEL_URL: &str = "/__studysite/livereload";
/// A ping this often drops subscribers whose page has gone.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// One message on the channel, as JSON tagged by `type`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(crate) enum Message {
    /// Sent first: the page reloads when the server restarted, or when a
    /// build since the page's generation changed it (or `recent` no longer
    /// says what changed).
    Hello {
        generation: u64,
        instance: String,
        recent: Vec<Changed>,
    },
    /// A new build is complete; `pages` lists changed URL paths (`None`: all).
    Reload {
        generation: u64,
        pages: Option<Vec<String>>,
    },
    /// Only stylesheets changed: swap these hrefs in without a reload.
    Css { generation: u64, hrefs: Vec<String> },
    /// The last rebuild failed; the page shows an overlay.
    Error {
        generation: u64,
        message: String,
        file: Option<String>,
        line: Option<u32>,
    },
    /// The error is fixed; the overlay goes.
    Ok { generation: u64 },
}

/// What a recent generation changed: `pages` as in [`Message::Reload`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Changed {
    generation: u64,
    pages: Option<Vec<String>>,
}

/// How many generations' changes a hello lists: enough for a page that
/// reloads while a preview's rebuild (or a burst of saves) is served.
const RECENT: usize = 8;

impl Message {
    pub(crate) fn error(generation: u64, failure: &BuildFailure) -> Message {
        Message::Error {
            generation,
            message: failure.message.clone(),
            file: failure.file.clone(),
            line: failure.line,
        }
    }

    fn to_json(&self) -> Arc<str> {
        serde_json::to_string(self)
            .expect("reload messages always serialize")
            .into()
    }
}

/// The open channels; closed once the server stops, which ends every subscriber.
#[derive(Debug)]
pub(crate) struct Hub {
    /// `None` once closed.
    subscribers: Mutex<Option<Vec<Sender<Arc<str>>>>>,
    /// The last [`RECENT`] generations' changes, oldest first.
    recent: Mutex<VecDeque<Changed>>,
}

impl Hub {
    fn subscribe(&self) -> Option<Receiver<Arc<str>>> {
        let (sender, receiver) = mpsc::channel();
        self.lock().as_mut()?.push(sender);
        Some(receiver)
    }

    /// Sends to every subscriber, dropping the ones whose thread has ended.
    pub(crate) fn broadcast(&self, message: &Message) {
        let changed = match message {
            Message::Reload { generation, pages } => Some((*generation, pages.clone())),
            // A stylesheet swapped in place: a page loaded before it reloads.
            Message::Css { generation, .. } => Some((*generation, None)),
            _ => None,
        };
        if let Some((generation, pages)) = changed {
            let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back(Changed { generation, pages });
        }
        let json = message.to_json();
        if let Some(subscribers) = self.lock().as_mut() {
            subscribers.retain(|s| s.send(Arc::clone(&json)).is_ok());
        }
    }

    /// Open channels (dead ones go at the next broadcast).
    pub(crate) fn len(&self) -> usize {
        self.lock().as_ref().map_or(0, Vec::len)
    }

    pub(crate) fn close(&self) {
        self.lock().take();
    }

    fn lock(&self) -> MutexGuard<'_, Option<Vec<Sender<Arc<str>>>>> {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            subscribers: Mutex::new(Some(Vec::new())),
            recent: Mutex::default(),
        }
    }
}

/// Answers a request for [`CHANNEL_URL`] on its connection's own thread: completes
/// the WebSocket handshake and keeps the page subscribed until it goes. `rest` is
/// whatever the client sent after the request head.
pub(crate) fn accept(
    mut stream: TcpStream,
    key: Option<&str>,
    rest: Vec<u8>,
    state: &Arc<ServeState>,
) {
    let Some(key) = key else {
        let refusal = Reply::text(400, "expected a WebSocket upgrade");
        if let Err(error) = connection::write_reply(&mut stream, &refusal, false, false) {
            log::debug!("live-reload: {error}");
        }
        return;
    };
    let Some(receiver) = state.hub.subscribe() else {
        return;
    };
    let accept_key = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let handshake = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept_key}\r\n\r\n"
    );
    if let Err(error) = stream.write_all(handshake.as_bytes()) {
        log::debug!("live-reload: {error}");
        return;
    }
    let generation = state.generation();
    let recent = state
        .hub
        .recent
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let mut first = vec![Message::Hello {
        generation,
        instance: state.instance.clone(),
        recent: recent.iter().cloned().collect(),
    }];
    drop(recent);
    if let Some(failure) = state.last_error() {
        first.push(Message::error(state.generation(), &failure));
    }
    let socket = WebSocket::from_partially_read(stream, rest, Role::Server, None);
    run_subscriber(socket, &first, &receiver);
}

/// Writes messages as they come, pings when idle, and ends when a write fails
/// (the page has gone) or the hub closes.
fn run_subscriber<S: Read + Write>(
    mut socket: WebSocket<S>,
    first: &[Message],
    receiver: &Receiver<Arc<str>>,
) {
    for message in first {
        if socket
            .send(tungstenite::Message::text(message.to_json().to_string()))
            .is_err()
        {
            return;
        }
    }
    loop {
        let sent = match receiver.recv_timeout(HEARTBEAT) {
            Ok(json) => socket.send(tungstenite::Message::text(json.to_string())),
            Err(RecvTimeoutError::Timeout) => {
                socket.send(tungstenite::Message::Ping(tungstenite::Bytes::new()))
            }
            Err(RecvTimeoutError::Disconnected) => {
                // Server stopping: a close frame is a courtesy; the page reconnects anyway.
                if let Err(error) = socket.close(None).and_then(|()| socket.flush()) {
                    log::debug!("live-reload close: {error}");
                }
                return;
            }
        };
        if let Err(error) = sent {
            log::debug!("live-reload subscriber gone: {error}");
            return;
        }
    }
}

/// The HTML as built plus one `<script>` tag before `</body>`, linking the
/// script relatively from a page `depth` folders below the server's root.
pub(crate) fn inject_script(html: &[u8], depth: usize, generation: u64, instance: &str) -> Vec<u8> {
    let up = "../".repeat(depth);
    let script = &SCRIPT_URL[1..];
    let tag = format!(
        r#"<script src="{up}{script}" data-generation="{generation}" data-instance="{instance}"></script>"#
    );
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject_script(html, 0, 3, "i1")).unwrap();
        assert_eq!(
            out,
            (r#"<html><body><p>x</p><script src="__studysite/livereload.js" data-generation="3" data-instance="i1"></script></BODY></html>"#)
        );
        let bare = String::from_utf8(inject_script(b"<p>", 2, 1, "i")).unwrap();
        assert!(bare.starts_with(r#"<p><script src="../../__studysite/livereload.js""#));
    }

    #[test]
    fn messages_are_tagged_json() {
        let json = Message::Ok { generation: 4 }.to_json();
        assert_eq!(&*json, r#"{"type":"ok","generation":4}"#);
        let json = Message::Reload {
            generation: 5,
            pages: None,
        }
        .to_json();
        assert_eq!(&*json, r#"{"type":"reload","generation":5,"pages":null}"#);
    }

    #[test]
    fn closed_hub_refuses_subscribers_and_drops_senders() {
        let hub = Hub::default();
        let receiver = hub.subscribe().unwrap();
        hub.broadcast(&Message::Ok { generation: 1 });
        assert_eq!(hub.len(), 1);
        hub.close();
        assert!(receiver.recv().is_ok());
        assert!(receiver.recv().is_err());
        assert!(hub.subscribe().is_none());
    }
}
