//! Paging: a list that grows with a section (its notes, a tag's notes, its quiz
//! questions, its flashcards) cut into parts of at most a fixed number of items,
//! so that no page grows with the size of a section.
//!
//! Part 1 keeps the list's own folder (`security/`); part N is at
//! `security/page/N/`, as in Zola and Hugo. A list that fits on one page has one
//! part and no pager, so its page is the same as before paging existed. Each
//! part is an ordinary job of its page kind ([`Paging::jobs`]); its
//! [`PagerView`] is what `partials/pager.html` shows.

use std::hash::Hash;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::markdown::Urls;
use crate::pages::job::Job;
use crate::render::views::{PagerLink, PagerView};
use crate::source::OutputPath;

/// Notes listed on one section or tag page.
pub(crate) const NOTES_PER_PAGE: usize = 100;
/// Questions on one page of a section's quiz.
pub(crate) const QUESTIONS_PER_PAGE: usize = 100;
/// Cards on one page of a section's flashcard deck.
pub(crate) const CARDS_PER_PAGE: usize = 200;

/// Page numbers the pager links on each side of the current one (besides the
/// first and the last), so that it stays short however many parts there are.
const NEIGHBOURS: usize = 2;

/// A list of `len` items at `base`, cut into parts of `per_page`.
#[derive(Debug, Clone)]
pub(crate) struct Paging {
    base: OutputPath,
    len: usize,
    per_page: usize,
}

/// One part: what its page is made from.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// From 1.
    pub(crate) number: usize,
    /// Its items' range in the whole list.
    pub(crate) range: Range<usize>,
    /// `security/` for part 1, `security/page/2/` after.
    pub(crate) path: OutputPath,
    pub(crate) url: String,
    /// `None` when the list has one part.
    pub(crate) pager: Option<PagerView>,
}

/// How many parts a list of `len` items makes, `per_page` a part (one at least).
pub(crate) fn part_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page).max(1)
}

impl Paging {
    pub(crate) fn new(base: OutputPath, len: usize, per_page: usize) -> Self {
        assert!(per_page > 0, "a page holds at least one item");
        Paging {
            base,
            len,
            per_page,
        }
    }

    /// How many parts the list has; an empty list has one, empty.
    pub(crate) fn count(&self) -> usize {
        part_count(self.len, self.per_page)
    }

    /// The folder of part `number`: the list's own for part 1, `<base>page/N/` after.
    pub(crate) fn path(&self, number: usize) -> OutputPath {
        match number {
            0 | 1 => self.base.clone(),
            n => self.base.join(&format!("page/{n}/")),
        }
    }

    /// Every part, in order.
    pub(crate) fn parts<'p>(&'p self, urls: &'p Urls) -> impl Iterator<Item = Part> + 'p {
        (1..=self.count()).map(|number| {
            let start = (number - 1) * self.per_page;
            let path = self.path(number);
            Part {
                number,
                range: start..(start + self.per_page).min(self.len),
                url: urls.url(&path),
                path,
                pager: self.pager(number, urls),
            }
        })
    }

    /// One page per part, rendered through `template`: `view` makes a part's
    /// view when its job runs. Errors blame the part's path.
    pub(crate) fn jobs<'a, V>(
        &self,
        template: &'static str,
        urls: &Urls,
        view: impl Fn(Part) -> V + Send + Sync + 'a,
    ) -> Vec<Job<'a>>
    where
        V: Serialize + Hash,
    {
        let view = Arc::new(view);
        let jobs = self.parts(urls).map(|part| {
            let (output, origin) = (part.path.join("index.html"), part.path.to_string());
            let view = Arc::clone(&view);
            Job::page(output, template, origin, move || view(part))
        });
        jobs.collect()
    }

    /// The pager of part `number`, or `None` when the list has one part.
    pub(crate) fn pager(&self, number: usize, urls: &Urls) -> Option<PagerView> {
        let count = self.count();
        if count == 1 {
            return None;
        }
        let url = |n: usize| urls.url(&self.path(n));
        let mut links: Vec<PagerLink> = Vec::new();
        for n in shown_numbers(number, count) {
            links.push(PagerLink {
                number: n,
                url: url(n),
                is_current: n == number,
                gap_before: links.last().is_some_and(|l| l.number + 1 != n),
            });
        }
        let first = (number - 1) * self.per_page;
        Some(PagerView {
            number,
            count,
            first_item: first + 1,
            last_item: (first + self.per_page).min(self.len),
            total_items: self.len,
            previous: (number > 1).then(|| url(number - 1)),
            next: (number < count).then(|| url(number + 1)),
            links,
        })
    }
}

/// The part numbers a pager links: the first, the last, and [`NEIGHBOURS`]
/// on each side of `number`, in order.
fn shown_numbers(number: usize, count: usize) -> impl Iterator<Item = usize> {
    let near = number.saturating_sub(NEIGHBOURS)..=number + NEIGHBOURS;
    (1..=count).filter(move |&n| n == 1 || n == count || near.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls {
        Urls::for_tests()
    }

    #[test]
    fn parts_cut_the_list_and_keep_the_first_at_the_base() {
        let paging = Paging::new("aws/".into(), 250, 100);
        let parts: Vec<Part> = paging.parts(&urls()).collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].range, 0..100);
        assert_eq!(parts[2].range, 200..250);
        let paths: Vec<&str> = parts.iter().map(|p| &*p.path).collect();
        assert_eq!(paths, ["aws/", "aws/page/2/", "aws/page/3/"]);
        assert_eq!(parts[1].url, "/base/aws/page/2/");
        assert_eq!(parts[1].pager.as_ref().map(|p| p.number), Some(2));
    }

    #[test]
    fn a_short_or_empty_list_is_one_part_without_a_pager() {
        for len in [0, 1, 100] {
            let paging = Paging::new("aws/quiz/".into(), len, 100);
            assert_eq!(paging.count(), 1);
            assert_eq!(paging.parts(&urls()).next().unwrap().range, 0..len);
            assert!(paging.pager(1, &urls()).is_none());
        }
        assert_eq!(Paging::new("t/".into(), 101, 100).count(), 2);
    }

    #[test]
    fn the_pager_links_neighbours_first_and_last() {
        let paging = Paging::new("aws/".into(), 1_300, 100);
        let pager = paging.pager(7, &urls()).unwrap();
        let numbers: Vec<usize> = pager.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 5, 6, 7, 8, 9, 13]);
        let gaps: Vec<usize> = pager
            .links
            .iter()
            .filter(|l| l.gap_before)
            .map(|l| l.number)
            .collect();
        assert_eq!(gaps, [5, 13]);
        assert!(pager.links[3].is_current);
        assert_eq!(pager.previous.as_deref(), Some("/base/aws/page/6/"));
        assert_eq!(pager.next.as_deref(), Some("/base/aws/page/8/"));
        assert_eq!(
            (pager.first_item, pager.last_item, pager.total_items),
            (601, 700, 1_300)
        );
        let first = paging.pager(1, &urls()).unwrap();
        assert_eq!(first.previous, None);
        assert_eq!(first.links[0].url, "/base/aws/");
        let last = paging.pager(13, &urls()).unwrap();
        assert_eq!(
            (last.next, last.first_item, last.last_item),
            (None, 1_201, 1_300)
        );
    }
}
