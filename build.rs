//! Link options of the `preau` binary, for its size (see `[profile.release]` in Cargo.toml).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.ends_with("-linux-gnu") {
        // Relative relocations packed (DT_RELR): a PIE binary lists each pointer it holds
        // for the loader to fix up, 24 bytes apiece (42,000 of them, 1 MB); packed as
        // bitmaps they take 13 kB. Needs glibc ≥ 2.36 where it runs (Debian 12, Raspberry
        // Pi OS bookworm, Ubuntu 24.04; an older loader refuses the binary with a clear
        // message). The musl build is static and not PIE: it has no relocations to pack.
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
