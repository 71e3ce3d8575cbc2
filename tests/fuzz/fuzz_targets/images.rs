//! The image pipeline: publishing (web size, EXIF removed; for a picture too large to
//! decode, its metadata segments or chunks cut out) and the médiathèque's web size and
//! thumbnail. Truncated or hostile JPEG, PNG, WebP and GIF must give a clean picture or
//! the file as it was, never a panic, and decoding stays within the pipeline's limits
//! (libFuzzer's memory limit turns an unbounded allocation into a crash).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preau::attachments::Attachment;
use preau::media::images;
use preau::store::{Store, StoreOptions};

struct Setup {
    store: Store,
    runtime: tokio::runtime::Runtime,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = preau_fuzz::scratch("images");
        Setup {
            store: Store::open_raw(&dir.join("data"), &StoreOptions::default(), &[])
                .expect("store"),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    // The byte-level steps, on the bytes as they came.
    let _ = images::carries_metadata(data);
    for clean in [
        images::strip_jpeg_metadata(data),
        images::strip_png_metadata(data),
        images::strip_webp_metadata(data),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            !images::carries_metadata(&clean),
            "a cleaned picture still carries metadata"
        );
    }
    // Publishing, as every upload form does: the type as the upload read it from the
    // first bytes, or an image type anyway so that every input reaches the decoders.
    let mime = preau::attachments::allowed_type(data, "photo.jpg")
        .filter(|m| m.starts_with("image/"))
        .unwrap_or("image/jpeg");
    let Ok(blob) = s.store.blobs().put_bytes(data) else {
        return;
    };
    let raw = Attachment {
        blob: blob.as_str().to_string(),
        name: "photo.jpg".into(),
        mime: mime.into(),
        size: data.len() as u64,
    };
    let published = s.runtime.block_on(images::publish(&s.store, raw));
    // The médiathèque's web size and thumbnail, read from the stored file.
    let _ = images::derive(&s.store.blobs().path(&blob));
    // Nothing kept from one input to the next: the store stays small for hours of runs.
    let _ = s.store.blobs().remove(&blob);
    if let Some(id) = preau::store::BlobId::parse(&published.blob) {
        let _ = s.store.blobs().remove(&id);
    }
});
