//! `serve` under abuse, over real HTTP on 127.0.0.1: malformed requests, very long
//! URLs and headers, many idle connections, WebSocket frames that are not ours, a
//! client that never reads. Each time, other clients are still answered and
//! nothing outside the site is served. Every loop is bounded and every wait has a
//! timeout.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::serve::{channel, get, wait_for, Site, TIMEOUT};

/// Sends `raw` on a new connection and returns whatever comes back before the
/// server closes it or [`TIMEOUT`] passes (abuse may get a 400, or just a close).
fn send_raw(address: SocketAddr, raw: &[u8]) -> String {
    send_raw_waiting(address, raw, TIMEOUT)
}

fn send_raw_waiting(address: SocketAddr, raw: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT).expect("connect");
    stream.set_read_timeout(Some(wait)).unwrap();
    // The server may close before reading everything; that is an answer too.
    if stream.write_all(raw).is_err() {
        return String::new();
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).into_owned()
}

/// The home page answers 200 within [`TIMEOUT`], from another thread so a hung
/// server fails the test instead of hanging it.
#[track_caller]
fn still_answers(address: SocketAddr) {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(get(address, "/").status));
    match result.recv_timeout(TIMEOUT) {
        Ok(status) => assert_eq!(status, 200),
        Err(_) => panic!("the server did not answer another client within {TIMEOUT:?}"),
    }
}

#[test]
fn malformed_requests_get_an_error_and_serving_goes_on() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let requests: [&[u8]; 8] = [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nX: \xff\xfe\r\n\r\n",
        b"\x00\x01\x02\x03\xff\r\n\r\n",
        b"GET /\xc0\xae\xc0\xae/secret.txt HTTP/1.1\r\n\r\n",
        b"GET ../secret.txt HTTP/1.1\r\nConnection: close\r\n\r\n",
    ];
    for raw in requests {
        let reply = send_raw(address, raw);
        let status = reply.split(' ').nth(1).unwrap_or_default();
        assert!(
            reply.is_empty() || status.starts_with('4') || status.starts_with('5'),
            "{:?} got {reply:?}",
            String::from_utf8_lossy(raw)
        );
        assert!(!reply.contains("TOP-SECRET"));
        still_answers(address);
    }
    // Serve reads no body: it answers, says it closes, and closes, whatever the
    // declared length.
    let huge_body = b"GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\nx";
    let reply = send_raw_waiting(address, huge_body, Duration::from_secs(5));
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply:.200}");
    assert!(reply.contains("\r\nConnection: close\r\n"), "{reply:.200}");
    still_answers(address);
}

#[test]
fn very_long_urls_and_headers_are_answered_without_harm() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let long_path = format!("/{}", "a/".repeat(100_000));
    let reply = send_raw(
        address,
        format!("GET {long_path} HTTP/1.1\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert!(
        reply.starts_with("HTTP/1.1 404"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    let traversal = format!("/{}../secret.txt", "%2e%2e/".repeat(30_000));
    assert!(!send_raw(
        address,
        format!("GET {traversal} HTTP/1.1\r\n\r\n").as_bytes()
    )
    .contains("TOP-SECRET"));
    let long_header = format!(
        "GET / HTTP/1.1\r\nX-Long: {}\r\nConnection: close\r\n\r\n",
        "v".repeat(256 << 10)
    );
    assert!(send_raw(address, long_header.as_bytes()).starts_with("HTTP/1.1 200"));
    let many_headers: String = (0..20_000).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let reply = send_raw(
        address,
        format!("GET / HTTP/1.1\r\n{many_headers}Connection: close\r\n\r\n").as_bytes(),
    );
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    still_answers(address);
}

#[test]
fn many_idle_and_half_sent_connections_do_not_stall_others() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let mut idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect_timeout(&address, TIMEOUT).expect("connect"))
        .collect();
    for stream in idle.iter_mut().take(100) {
        stream.write_all(b"GET /intro/al").unwrap();
    }
    for _ in 0..5 {
        still_answers(address);
    }
    drop(idle);
    still_answers(address);
}

#[test]
fn websocket_frames_that_are_not_ours_are_ignored() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    let mut good = channel(address);
    let mut rogue = channel(address);
    rogue
        .send(tungstenite::Message::Binary(vec![0u8; 1 << 16].into()))
        .unwrap();
    rogue
        .send(tungstenite::Message::text("{\"type\":\"reload\"}"))
        .unwrap();
    // A raw frame header claiming an enormous masked payload, then garbage.
    let stream = rogue.get_mut();
    stream
        .write_all(&[0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        .unwrap();
    stream.write_all(&[0xAB; 4096]).unwrap();
    let mut raw = TcpStream::connect_timeout(&address, TIMEOUT).expect("connect");
    raw.write_all(
        b"GET /__studysite/livereload HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
          Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\
          \x00\xff\x00\xff not a frame",
    )
    .unwrap();
    still_answers(address);
    site.write("content/01-intro/02-beta.md", "# Beta\n\nChanged.\n");
    wait_for(&mut good, "reload");
    still_answers(address);
}

#[test]
fn a_client_that_never_reads_does_not_stall_others() {
    let site = Site::new();
    let big: String = (0..20_000)
        .map(|i| format!("Paragraph {i} of a long note.\n\n"))
        .collect();
    site.write("content/01-intro/03-big.md", &format!("# Big\n\n{big}"));
    let server = site.serve();
    let address = server.address();
    let started = Instant::now();
    // Pipelined requests for a large page on connections that never read: their
    // responses fill the socket buffers and any thread writing them blocks.
    let mut stalled: Vec<TcpStream> = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect_timeout(&address, TIMEOUT).expect("connect");
        stream
            .set_write_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        for _ in 0..40 {
            if stream
                .write_all(b"GET /intro/big/ HTTP/1.1\r\nHost: x\r\n\r\n")
                .is_err()
            {
                break;
            }
        }
        stalled.push(stream);
    }
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..5 {
        still_answers(address);
    }
    assert!(started.elapsed() < TIMEOUT * 2);
    drop(stalled);
    still_answers(address);
}

/// Reads one reply off a kept-alive connection: its status line and body, framed
/// by Content-Length (none for HEAD).
fn read_reply(stream: &mut TcpStream, head_only: bool) -> std::io::Result<(String, Vec<u8>)> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8];
        stream.read_exact(&mut byte)?;
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length: "))
        .and_then(|n| n.parse().ok())
        .expect("a Content-Length");
    let mut body = vec![0u8; if head_only { 0 } else { length }];
    stream.read_exact(&mut body)?;
    Ok((head.lines().next().unwrap_or_default().to_string(), body))
}

#[test]
fn a_burst_of_kept_alive_connections_is_answered_in_full() {
    let site = Site::new();
    let server = site.serve();
    let address = server.address();
    // Connected all at once and never closed, as a browser's connections for one
    // page's scripts and styles are: each must be answered while the others stay
    // open. (tiny_http's task pool left 60 of 64 such connections unanswered.)
    let mut streams: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect_timeout(&address, TIMEOUT).expect("connect"))
        .collect();
    for stream in &mut streams {
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        // Two requests pipelined: both are answered, in order.
        stream
            .write_all(
                b"GET /intro/alpha/ HTTP/1.1\r\nHost: x\r\n\r\nHEAD /intro/alpha/ HTTP/1.1\r\n\r\n",
            )
            .unwrap();
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        let (status, body) = read_reply(stream, false)
            .unwrap_or_else(|e| panic!("connection {i} got no answer within {TIMEOUT:?}: {e}"));
        assert_eq!(status, "HTTP/1.1 200 OK", "connection {i}");
        assert!(String::from_utf8_lossy(&body).contains("</html>"));
        let (status, _) = read_reply(stream, true).expect("the pipelined HEAD's reply");
        assert_eq!(status, "HTTP/1.1 200 OK", "connection {i}");
    }
    still_answers(address);
}
