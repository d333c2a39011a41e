//! HTTP/1.1 on std's `TcpListener`: every accepted connection gets a thread of its
//! own, which reads its requests (parsed by httparse), answers them in order from
//! [`http::respond`] and ends when the client closes, asks to, or goes quiet for
//! [`IDLE`].
//!
//! A thread per connection, with nothing queued between accept and answer: tiny_http
//! 0.12, used before, hands each accepted connection to a task pool that can lose a
//! wake-up, and a burst of connections beyond its idle threads then waits until some
//! kept-alive connection closes: a browser's page loaded without its scripts. Every
//! socket also has a send timeout, so a client that never reads blocks only its own
//! thread, and for a while.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::http::{self, Reply};
use super::reload;
use super::state::ServeState;

/// How long a connection may be quiet, between or within requests.
const IDLE: Duration = Duration::from_secs(30);
/// Longest a write to a client may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request line and headers; a longer head gets 431.
const MAX_HEAD: usize = 1 << 20;
/// How much of an unread request body is read and dropped before closing, so the
/// close does not reset the connection under the reply.
const MAX_DRAIN: u64 = 1 << 20;

/// Accepts connections until serve stops (see [`wake`]).
pub(super) fn accept_loop(listener: &TcpListener, state: &Arc<ServeState>) {
    for stream in listener.incoming() {
        if state.is_stopping() {
            return;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                // Out of file descriptors, say: wait a little rather than spin.
                log::warn!("http: cannot accept a connection: {error}");
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let state = Arc::clone(state);
        let spawned = std::thread::Builder::new()
            .name("http".into())
            .spawn(move || serve_connection(stream, &state));
        if let Err(error) = spawned {
            log::warn!("http: cannot start a thread for a connection: {error}");
        }
    }
}

/// Unblocks [`accept_loop`] once the state says stop, by connecting to it.
pub(super) fn wake(address: SocketAddr) {
    let mut address = address;
    if address.ip().is_unspecified() {
        address.set_ip(match address {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    // A refused connection means nothing is listening any more: nothing to wake.
    let _ = TcpStream::connect_timeout(&address, Duration::from_secs(1));
}

/// Answers one connection's requests in order.
fn serve_connection(mut stream: TcpStream, state: &Arc<ServeState>) {
    let timeouts = stream
        .set_read_timeout(Some(IDLE))
        .and_then(|()| stream.set_write_timeout(Some(WRITE_TIMEOUT)));
    if let Err(error) = timeouts {
        log::debug!("http: {error}");
        return;
    }
    // Replies are written whole, in one or two writes: no need to wait for more.
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    while !state.is_stopping() {
        let end = match read_head(&mut stream, &mut buffer) {
            Ok(Some(end)) => end,
            Ok(None) => return,
            Err(status) => return refuse(stream, Reply::text(status, reason(status))),
        };
        let request = match Request::parse(&buffer[..end]) {
            Ok(request) => request,
            Err(message) => return refuse(stream, Reply::text(400, message)),
        };
        if request.path() == reload::CHANNEL_URL {
            let rest = buffer.split_off(end);
            reload::accept(stream, request.websocket_key.as_deref(), rest, state);
            return;
        }
        let reply = http::respond(&request.method, &request.target, state);
        let keep_alive = request.keep_alive && !request.has_body;
        if write_reply(&mut stream, &reply, request.method == "HEAD", keep_alive).is_err() {
            return;
        }
        if !keep_alive {
            close_politely(stream);
            return;
        }
        buffer.drain(..end);
    }
}

/// Reads until `buffer` holds a whole request head, and returns where it ends.
/// `Ok(None)`: the client closed, or was quiet for [`IDLE`]. `Err`: a status to
/// answer with before closing.
fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Option<usize>, u16> {
    let mut searched = 0;
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(at) = memchr::memmem::find(&buffer[searched..], b"\r\n\r\n") {
            return Ok(Some(searched + at + 4));
        }
        if buffer.len() > MAX_HEAD {
            return Err(431);
        }
        // The end marker may straddle the next read.
        searched = buffer.len().saturating_sub(3);
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

/// What serve needs of a request head.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    /// The raw request target: path and query.
    target: String,
    keep_alive: bool,
    /// A body was declared: serve reads none, so the connection closes after the reply.
    has_body: bool,
    /// `Sec-WebSocket-Key`, when the request asks to upgrade to a WebSocket.
    websocket_key: Option<String>,
}

impl Request {
    fn parse(head: &[u8]) -> Result<Request, &'static str> {
        let lines = memchr::memchr_iter(b'\n', head).count();
        let mut headers = vec![httparse::EMPTY_HEADER; lines];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(head) {
            Ok(httparse::Status::Complete(_)) => {}
            _ => return Err("bad request: malformed request line or header"),
        }
        if parsed
            .headers
            .iter()
            .any(|h| std::str::from_utf8(h.value).is_err())
        {
            return Err("bad request: a header value is not text");
        }
        let header = |name: &str| {
            let found = parsed
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name));
            found
                .and_then(|h| std::str::from_utf8(h.value).ok())
                .map(str::trim)
        };
        let connection = header("Connection")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let has_body = header("Transfer-Encoding").is_some()
            || header("Content-Length").is_some_and(|length| length != "0");
        let upgrade = header("Upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
        let websocket_key = header("Sec-WebSocket-Key")
            .filter(|_| upgrade)
            .map(str::to_string);
        let http_1_1 = parsed.version == Some(1);
        Ok(Request {
            method: parsed.method.unwrap_or_default().to_string(),
            target: parsed.path.unwrap_or_default().to_string(),
            keep_alive: if http_1_1 {
                !connection.contains("close")
            } else {
                connection.contains("keep-alive")
            },
            has_body,
            websocket_key,
        })
    }

    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// Writes `reply`, with no body for HEAD; `keep_alive` says whether more may follow.
pub(super) fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
    );
    if let Some(location) = &reply.location {
        head.push_str(&format!("Location: {}\r\n", ascii_url(location)));
    }
    if reply.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    let connection = if keep_alive { "keep-alive" } else { "close" };
    head.push_str(&format!("Connection: {connection}\r\n\r\n"));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    Ok(())
}

/// Answers a request serve will not read (400, 431) and ends the connection.
fn refuse(mut stream: TcpStream, reply: Reply) {
    if write_reply(&mut stream, &reply, false, false).is_ok() {
        close_politely(stream);
    }
}

/// Ends a connection after its last reply: the client's unread bytes (a body
/// serve did not read, or the rest of a request it refused) are read and
/// dropped first, up to [`MAX_DRAIN`], since closing a socket with unread input
/// resets it, and the client may lose the reply.
fn close_politely(mut stream: TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let _ = std::io::copy(&mut (&mut stream).take(MAX_DRAIN), &mut std::io::sink());
}

/// The reason phrase of each status serve sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "",
    }
}

/// `url` with every byte outside printable ASCII percent-encoded, as a header needs.
fn ascii_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_keep_alive_by_version_and_connection_header() {
        let parse = |head: &str| Request::parse(head.as_bytes()).unwrap();
        let plain = parse("GET /a/?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(
            plain,
            Request {
                method: "GET".into(),
                target: "/a/?q=1".into(),
                keep_alive: true,
                has_body: false,
                websocket_key: None,
            }
        );
        assert_eq!(plain.path(), "/a/");
        assert!(!parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive);
        assert!(!parse("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
        assert!(parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").has_body);
        assert!(!parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").has_body);
        assert!(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").has_body);
    }

    #[test]
    fn a_websocket_key_counts_only_with_an_upgrade() {
        let parse = |head: &str| Request::parse(head.as_bytes()).unwrap().websocket_key;
        let key = "Sec-WebSocket-Key: abc==\r\n";
        assert_eq!(
            parse(&format!(
                "GET / HTTP/1.1\r\nUpgrade: WebSocket\r\n{key}\r\n"
            ))
            .as_deref(),
            Some("abc==")
        );
        assert_eq!(parse(&format!("GET / HTTP/1.1\r\n{key}\r\n")), None);
    }

    #[test]
    fn malformed_heads_are_refused() {
        for head in [
            "GARBAGE\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        ] {
            assert!(Request::parse(head.as_bytes()).is_err(), "{head:?}");
        }
        assert!(Request::parse(b"GET / HTTP/1.1\r\nX: \xff\xfe\r\n\r\n").is_err());
        assert!(Request::parse(b"GET /\xc0\xae/ HTTP/1.1\r\n\r\n").is_err());
    }

    #[test]
    fn locations_are_ascii() {
        assert_eq!(ascii_url("/caf\u{e9}/a b"), "/caf%C3%A9/a%20b");
        assert_eq!(ascii_url("/plain/?q=1"), "/plain/?q=1");
    }
}
