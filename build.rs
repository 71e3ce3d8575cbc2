//! Link options of the `preau` binary, for its size (see `[profile.release]` in Cargo.toml).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if target.ends_with("-linux-gnu") && target == host && host_glibc_has_packed_relocations() {
        // Relative relocations packed (DT_RELR): a PIE binary lists each pointer it holds
        // for the loader to fix up, 24 bytes apiece (42,000 of them, 1 MB); packed as
        // bitmaps they take 13 kB. Linked against glibc ≥ 2.36, the binary names the
        // loader feature it needs (GLIBC_ABI_DT_RELR), so an older system refuses it with
        // a clear message instead of starting it wrong; built on an older glibc, nothing
        // is packed. The musl build is static and not PIE: it has no relocations to pack.
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the build machine's C library is glibc 2.36 or later (the first whose loader
/// reads packed relocations and that declares it to the linker).
fn host_glibc_has_packed_relocations() -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    // « glibc 2.36 »
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
