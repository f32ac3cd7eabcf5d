//! A bound on the memory a template holds.
//!
//! tera has no fuel, and a template from the repository can double a string
//! in a variable forty times without writing a byte, so neither the output
//! budget nor the deadline stops it before the machine runs out of memory.
//! The `ward` binary therefore installs [`TemplateMemoryGuard`] as its
//! global allocator: mimalloc, plus a per-thread count of the
//! bytes a template render holds. A render that asks for more than its
//! limit is parked inside the allocator, never given the memory, and
//! [`TemplateMemory::exceeded`] tells the waiting build, which reports E0522
//! and exits (ending the parked thread). A library user that does not
//! install the guard gets no memory bound (`is_enforced` says so).
//!
//! This is Ward's only unsafe code: the `GlobalAlloc` contract, forwarded
//! unchanged to mimalloc. mimalloc rather than the system allocator: a check
//! makes millions of small allocations, and glibc's malloc and free (with
//! their page faults) were about a third of `ward check` at N = 1,000
//! (docs/performance.md, "`ward check` against pytm").
#![allow(unsafe_code)]

use mimalloc::MiMalloc as System;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

thread_local! {
    /// Bytes this thread may still take while it renders a template;
    /// `None` on every other thread.
    static LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Some render asked for more than its limit.
static EXCEEDED: AtomicBool = AtomicBool::new(false);
/// The guard is the process's allocator (it has served an allocation).
static ENFORCED: AtomicBool = AtomicBool::new(false);

/// The global allocator of the `ward` binary (see the module docs).
pub struct TemplateMemoryGuard;

impl TemplateMemoryGuard {
    /// Counts `taken` bytes against the current render, if any; parks the
    /// thread for good when the render's limit would be passed.
    fn take(taken: usize) {
        let Ok(Some(left)) = LEFT.try_with(Cell::get) else {
            return;
        };
        match left.checked_sub(taken) {
            Some(rest) => LEFT.with(|l| l.set(Some(rest))),
            None => {
                EXCEEDED.store(true, Ordering::SeqCst);
                // `sleep` does not allocate; the process exit ends the thread.
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
        }
    }

    fn give_back(given: usize) {
        let _ = LEFT.try_with(|l| {
            if let Some(left) = l.get() {
                l.set(Some(left.saturating_add(given)));
            }
        });
    }
}

unsafe impl GlobalAlloc for TemplateMemoryGuard {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ENFORCED.store(true, Ordering::Relaxed);
        Self::take(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ENFORCED.store(true, Ordering::Relaxed);
        Self::take(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::give_back(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            Self::take(new_size - layout.size());
        } else {
            Self::give_back(layout.size() - new_size);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The memory side of a template render.
pub struct TemplateMemory;

impl TemplateMemory {
    /// Counts this thread's allocations against `limit` bytes until
    /// [`TemplateMemory::end`].
    pub fn begin(limit: usize) {
        LEFT.with(|l| l.set(Some(limit)));
    }

    /// Stops counting on this thread.
    pub fn end() {
        LEFT.with(|l| l.set(None));
    }

    /// Some render was stopped at its limit.
    pub fn exceeded() -> bool {
        EXCEEDED.load(Ordering::SeqCst)
    }

    /// Whether the guard is this process's allocator.
    pub fn is_enforced() -> bool {
        ENFORCED.load(Ordering::Relaxed)
    }
}
