//! The global allocator: mimalloc, asked through the entry points that have its fast paths.
//!
//! The `mimalloc` crate passes every allocation to `mi_malloc_aligned`. For a block over
//! 1 KiB whose size is not a power of two, mimalloc 3 serves that by over-allocating by the
//! alignment and aligning inside the block, even when the alignment asked for is one that
//! every block has anyway. A request makes dozens of such blocks (the boxed futures of
//! async-graphql's fields and of SeaORM's statements), and `bench/profile.sh` counted the
//! detour at about 15 k instructions per `software(id)`. Here an alignment of at most a
//! word, which every mimalloc block has, goes to `mi_malloc` and its relatives; only a
//! larger one takes the aligned path.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every block mimalloc hands out: its smallest size class is one word,
/// and every class is a multiple of it.
const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc, with the word-aligned requests (nearly all of them) on its plain paths.
pub struct MiMalloc;

// SAFETY: every method hands the request to mimalloc with an alignment mimalloc honours:
// the plain functions return word-aligned blocks (or null), and any larger alignment goes to
// the `_aligned` functions. Blocks from either family are freed by `mi_free` and resized by
// `mi_realloc`/`mi_realloc_aligned`, which mimalloc documents as interchangeable.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl; `ptr` came from this allocator.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_asked_for_and_keep_their_contents_when_resized() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 24, 100, 1000, 1500, 5000, 70_000] {
                let size = size.max(align);
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; each block is freed once, with its layout.
                unsafe {
                    let block = MiMalloc.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "size {size}, align {align}");
                    block.write_bytes(0xA5, size);
                    let grown = MiMalloc.realloc(block, layout, size * 3);
                    assert_eq!(grown as usize % align, 0, "grown {size}, align {align}");
                    assert!((0..size).all(|i| *grown.add(i) == 0xA5));
                    MiMalloc.dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());

                    let zeroed = MiMalloc.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0);
                    assert!((0..size).all(|i| *zeroed.add(i) == 0));
                    MiMalloc.dealloc(zeroed, layout);
                }
            }
        }
    }
}
