//! How the server's memory follows the school's use.
//!
//! The binary allocates with mimalloc (`main.rs`): glibc's malloc spent about a third of a
//! page's time in its arenas (locks shared by the worker threads, consolidation of freed
//! chunks) and musl's, in the static aarch64 build, is slower still. mimalloc keeps a heap
//! per thread without locks. Its arenas are committed on demand (`.cargo/config.toml`), so
//! the pages it frees leave the process's RSS instead of lingering as MADV_FREE pages.

/// mimalloc's `mi_option_arena_eager_commit` (v3's option enum; the Rust bindings name only
/// v2's options).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Gives back to the system, now, the free memory the allocator still holds (after the
/// store opens, after each round of jobs) rather than after mimalloc's purge delay.
pub fn give_back() {
    // SAFETY: mi_collect only frees the allocator's own unused pages; no pointer is passed.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

/// Whether arenas are committed eagerly (they should not be: see the module's comment).
pub fn eager_commit() -> bool {
    // SAFETY: reads one of mimalloc's options; no pointer is passed.
    unsafe { libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT) != 0 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_allocator_commits_its_arenas_on_demand() {
        // Fails when the C define of `.cargo/config.toml` did not reach mimalloc's build
        // (or MIMALLOC_ARENA_EAGER_COMMIT is set in the environment).
        assert!(!super::eager_commit());
    }
}
