//! Hands each request to a thread of its own connection, so a client that never
//! reads its responses blocks only itself.
//!
//! tiny_http parses pipelined requests ahead and queues them all, and a
//! connection's responses go out strictly in order, each written by the thread
//! that calls `respond`. With a fixed pool of workers, four connections that
//! pipelined requests for a large page and never read held every worker in a
//! blocked write (or waiting for its turn behind one), and serve stopped answering
//! anyone. So one dispatcher takes requests in arrival order and forwards each to
//! its connection's thread, which answers them in order; that thread ends once its
//! connection has been quiet for [`IDLE`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::state::ServeState;

/// How long a connection's thread waits for another request before it ends.
const IDLE: Duration = Duration::from_secs(5);

/// The threads of the connections with requests in flight, by peer address
/// (unique among open TCP connections).
type Connections = Arc<Mutex<HashMap<SocketAddr, Sender<tiny_http::Request>>>>;

/// Takes requests from `server` until serve stops.
pub(super) fn dispatch(server: &tiny_http::Server, state: &Arc<ServeState>) {
    let connections = Connections::default();
    loop {
        let request = match server.recv() {
            Ok(request) => request,
            Err(_) if state.is_stopping() => return,
            Err(error) => {
                log::warn!("http: {error}");
                continue;
            }
        };
        match request.remote_addr().copied() {
            Some(peer) => route(&connections, peer, request, state),
            None => super::handle(request, state),
        }
    }
}

/// Sends `request` to its connection's thread, starting one if there is none.
fn route(
    connections: &Connections,
    peer: SocketAddr,
    request: tiny_http::Request,
    state: &Arc<ServeState>,
) {
    let mut map = lock(connections);
    let request = match map.get(&peer) {
        Some(sender) => match sender.send(request) {
            Ok(()) => return,
            // Its thread has just ended: start another.
            Err(mpsc::SendError(request)) => request,
        },
        None => request,
    };
    let (sender, receiver) = mpsc::channel();
    // The receiver is alive: it is right here.
    let _ = sender.send(request);
    map.insert(peer, sender);
    let (connections, state) = (Arc::clone(connections), Arc::clone(state));
    let spawned = std::thread::Builder::new()
        .name("http".into())
        .spawn(move || answer(peer, &receiver, &connections, &state));
    if let Err(error) = spawned {
        log::warn!("http: cannot start a thread for {peer}: {error}");
        map.remove(&peer);
    }
}

/// Answers one connection's requests in order until it has been quiet for [`IDLE`].
fn answer(
    peer: SocketAddr,
    receiver: &Receiver<tiny_http::Request>,
    connections: &Connections,
    state: &Arc<ServeState>,
) {
    loop {
        match receiver.recv_timeout(IDLE) {
            Ok(request) => super::handle(request, state),
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {
                // Under the lock the dispatcher cannot send, so nothing is lost.
                let map = lock(connections);
                match receiver.try_recv() {
                    Ok(request) => {
                        drop(map);
                        super::handle(request, state);
                    }
                    Err(_) => {
                        let mut map = map;
                        map.remove(&peer);
                        return;
                    }
                }
            }
        }
    }
}

fn lock(
    connections: &Connections,
) -> MutexGuard<'_, HashMap<SocketAddr, Sender<tiny_http::Request>>> {
    connections.lock().unwrap_or_else(PoisonError::into_inner)
}
