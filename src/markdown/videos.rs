//! A YouTube link written as an image, `![Talk](https://www.youtube.com/watch?v=…)`,
//! is how Obsidian embeds a video; as an `<img>` it was a broken image. It becomes
//! the theme's `partials/video.html` (a lazily loaded player from
//! youtube-nocookie.com), as Obsidian and Quartz show it. `youtu.be/ID`,
//! `/embed/ID`, `/shorts/ID` and a start time (`t=90`, `t=1m30s`) are read too.

use serde::Serialize;

use crate::error::Result;
use crate::markdown::text::plain_text;
use crate::markdown::{Partials, Spanned};
use pulldown_cmark::{Event, Tag, TagEnd};

/// What `partials/video.html` receives.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub(crate) struct VideoView {
    /// The video's id: letters, digits, `-` and `_`.
    pub(crate) id: String,
    /// Where to start, in seconds.
    pub(crate) start: Option<u32>,
    /// The image's alt text (may be empty): the player's name.
    pub(crate) alt: String,
    /// The link as written.
    pub(crate) url: String,
}

/// The events with each YouTube image replaced by its player; `body` is the
/// note's text (most hold no YouTube link and pass through untouched).
pub(crate) fn embed_videos<'a>(
    events: Vec<Spanned<'a>>,
    body: &str,
    partials: &dyn Partials,
) -> Result<Vec<Spanned<'a>>> {
    if memchr::memmem::find(body.as_bytes(), b"youtu").is_none() {
        return Ok(events);
    }
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some((event, range)) = events.next() {
        let video = match &event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                youtube(dest_url).map(|(id, start)| (id, start, dest_url.to_string()))
            }
            _ => None,
        };
        let Some((id, start, url)) = video else {
            out.push((event, range));
            continue;
        };
        let alt: Vec<Event<'_>> = events
            .by_ref()
            .map(|(e, _)| e)
            .take_while(|e| !matches!(e, Event::End(TagEnd::Image)))
            .collect();
        let view = VideoView {
            id,
            start,
            alt: plain_text(&alt).trim().to_string(),
            url,
        };
        out.push((Event::InlineHtml(partials.video(&view)?.into()), range));
    }
    Ok(out)
}

/// The video id and start time of a YouTube URL, if `url` is one.
fn youtube(url: &str) -> Option<(String, Option<u32>)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = ["www.", "m."]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    };
    let id = match path.split_once('/')? {
        ("youtube.com", "watch") => param("v")?,
        ("youtu.be", id) => id,
        ("youtube.com" | "youtube-nocookie.com", path) => path
            .strip_prefix("embed/")
            .or_else(|| path.strip_prefix("shorts/"))?,
        _ => return None,
    };
    let id = id.trim_end_matches('/');
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if id.is_empty() || !id.chars().all(valid) {
        return None;
    }
    let start = param("t").or_else(|| param("start")).and_then(seconds);
    Some((id.to_string(), start))
}

/// `90`, `90s` or `1h2m30s` in seconds.
fn seconds(time: &str) -> Option<u32> {
    if let Ok(seconds) = time.parse() {
        return Some(seconds);
    }
    let mut total = 0u32;
    let mut number = String::new();
    for c in time.chars() {
        let unit = match c {
            '0'..='9' => {
                number.push(c);
                continue;
            }
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(number.parse::<u32>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render;

    #[test]
    fn youtube_urls_give_their_id_and_start() {
        let id = |url: &str| youtube(url);
        let found = |id: &str, start| Some((id.to_string(), start));
        assert_eq!(
            id("https://www.youtube.com/watch?v=8U-TAR0aYYQ"),
            found("8U-TAR0aYYQ", None)
        );
        assert_eq!(
            id("https://youtu.be/dhQtoYEODlk?t=90"),
            found("dhQtoYEODlk", Some(90))
        );
        assert_eq!(
            id("https://m.youtube.com/watch?feature=share&v=a_b-c&t=1m30s"),
            found("a_b-c", Some(90))
        );
        assert_eq!(id("https://www.youtube.com/embed/xyz"), found("xyz", None));
        assert_eq!(id("https://youtube.com/shorts/xyz/"), found("xyz", None));
        for other in [
            "https://example.com/watch?v=abc",
            "https://www.youtube.com/channel/abc",
            "https://www.youtube.com/watch?v=<script>",
            "img/youtube.png",
        ] {
            assert_eq!(id(other), None, "{other}");
        }
        assert_eq!(seconds("1h2m3s"), Some(3723));
        assert_eq!(seconds("2m"), Some(120));
        assert_eq!(seconds("x"), None);
    }

    #[test]
    fn a_youtube_image_becomes_the_video_partial() {
        let note = render(
            "Watch ![Hypervisor types](https://www.youtube.com/watch?v=r3EDlvfQAsw&t=42) now.\n\n\
             ![](https://youtu.be/J-S_TvtIm5Y)\n\n![A diagram](img/youtube-logo.png)\n",
        );
        let html = note.html.unpack();
        assert!(
            html.contains("<p>Watch <video-embed id=\"r3EDlvfQAsw\" start=\"42\" alt=\"Hypervisor types\"></video-embed> now.</p>"),
            "{html}"
        );
        assert!(
            html.contains("<video-embed id=\"J-S_TvtIm5Y\" start=\"\" alt=\"\">"),
            "{html}"
        );
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(html.contains("alt=\"A diagram\""), "{html}");
    }
}
