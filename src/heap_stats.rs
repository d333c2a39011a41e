//! `--features heap-stats`: an allocator that counts the heap's live bytes, so
//! `build --timings` can show what each stage holds. The resident size it shows
//! anyway also counts the free pages the allocator keeps, which hides how much a
//! stage frees. Off by default: the shared counters cost every allocation time.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Wraps an allocator, counting the bytes it has handed out and not taken back.
pub struct CountingAllocator<A>(pub A);

static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes as u64, Relaxed) + bytes as u64;
    PEAK.fetch_max(now, Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes as u64, Relaxed);
}

// SAFETY: every call is passed on to the wrapped allocator unchanged; the
// counters only watch.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { self.0.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { self.0.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let moved = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        moved
    }
}

/// Starts a new peak from the live bytes now, so each stage shows its own.
pub(crate) fn restart_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

/// The live heap bytes now, and the most there have been since [`restart_peak`].
pub(crate) fn heap_bytes() -> (u64, u64) {
    (LIVE.load(Relaxed), PEAK.load(Relaxed))
}
