//! What the server asks of the C allocator so that its memory follows the school's use.
//!
//! glibc's malloc keeps, by default, one arena per thread that ever allocated (up to eight
//! per core) and returns freed pages to the system only from the top of each heap: after
//! the store's start-up and the hourly jobs, an idle box kept tens of MiB it no longer
//! used. On a Pi that is the difference between Préau and the rest of the box. musl (the
//! static aarch64 build) returns memory on its own, so these are no-ops there.

/// Two arenas are enough for a server whose work runs on two worker threads; fewer arenas
/// is less memory held between requests. Called once, before any thread starts.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; no pointer is passed.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives back to the system the free memory the allocator still holds (after the store
/// opens, after each round of jobs).
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}
