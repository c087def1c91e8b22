//! The allocator of the binary and of the Python module: mimalloc, with the alignments every block
//! already has taken on its plain path. The mimalloc crate's `MiMalloc` always calls
//! `mi_malloc_aligned`, which decides again on every call whether the alignment needs its slow path:
//! ~64 instructions a call where `mi_malloc` takes ~30, and a check of the 100 MB plan makes about a
//! million of them (callgrind, the whole CLI: 2,198 M instructions with `MiMalloc`, 2,170 M with
//! this).

use std::alloc::{GlobalAlloc, Layout};

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned,
};

/// mimalloc as a global allocator (`#[global_allocator]` in `main.rs` and the Python module).
pub struct Mimalloc;

/// Every mimalloc block is aligned to a word at least: its size classes are whole words from one word
/// up, laid out from aligned page starts, and larger blocks are page aligned. What needs more goes
/// through mimalloc's aligned calls. (`hands_out_every_alignment_asked` checks it.)
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each call hands mimalloc a request it serves as asked: a block of at least the size asked,
// aligned to `layout.align()` (by the plain calls only when that is at most `WORD`), freed and
// resized by mimalloc alone.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            unsafe { mi_malloc(layout.size()) }.cast()
        } else {
            unsafe { mi_malloc_aligned(layout.size(), layout.align()) }.cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            unsafe { mi_zalloc(layout.size()) }.cast()
        } else {
            unsafe { mi_zalloc_aligned(layout.size(), layout.align()) }.cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _: Layout) {
        unsafe { mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            unsafe { mi_realloc(ptr.cast(), new_size) }.cast()
        } else {
            unsafe { mi_realloc_aligned(ptr.cast(), new_size, layout.align()) }.cast()
        }
    }
}

/// `mi_option_arena_eager_commit` in the enum of the mimalloc 3 that libmimalloc-sys 0.1.49 builds
/// (pinned in Cargo.toml).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Has mimalloc commit memory as it is used rather than whole arenas at once, before the first
/// allocation that reserves one. mimalloc's default on Linux (eager) was 4% faster on the 100 MB
/// plan, but every run paid for it: the CLI checked the 16-change plan in 6.9 ms and 21.8 MiB
/// instead of 5.8 ms and 12.7 MiB.
pub fn commit_memory_as_used() {
    // SAFETY: sets an option, an atomic store; mimalloc reads it when it next reserves an arena.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size up to some way past the small size classes, and some large ones, at every
    /// alignment from a byte to a page: each block aligned as asked, zeroed when asked, and keeping
    /// what it held when it grows and then shrinks.
    #[test]
    fn hands_out_every_alignment_asked() {
        let sizes = (1usize..=1100).chain([4095, 4096, 65_536, 1 << 20, (1 << 22) + 8]);
        for align in (0..=12).map(|shift| 1usize << shift) {
            for size in sizes.clone() {
                let layout = |size| Layout::from_size_align(size, align).unwrap();
                let check = |ptr: *mut u8, kept: usize, byte: u8, what: &str| {
                    assert!(
                        !ptr.is_null() && (ptr as usize).is_multiple_of(align),
                        "{what} {size} bytes at {ptr:p}, {align} asked"
                    );
                    // SAFETY: `ptr` is a live block of at least `kept` bytes, all written.
                    let held = unsafe { std::slice::from_raw_parts(ptr, kept) };
                    assert!(held.iter().all(|b| *b == byte), "{what} {size} bytes, {align} aligned: contents");
                };
                let (grown, half) = (size * 3 + 5, size.div_ceil(2));
                // SAFETY: every size is above zero; each block is written within its size, resized
                // and freed once, by this allocator, with the layout it has.
                unsafe {
                    let zeroed = Mimalloc.alloc_zeroed(layout(size));
                    check(zeroed, size, 0, "zeroed");
                    Mimalloc.dealloc(zeroed, layout(size));

                    let block = Mimalloc.alloc(layout(size));
                    check(block, 0, 0, "allocated");
                    block.write_bytes(0xa5, size);
                    let block = Mimalloc.realloc(block, layout(size), grown);
                    check(block, size, 0xa5, "grown");
                    let block = Mimalloc.realloc(block, layout(grown), half);
                    check(block, half, 0xa5, "shrunk");
                    Mimalloc.dealloc(block, layout(half));
                }
            }
        }
    }
}
