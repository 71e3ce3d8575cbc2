//! The one multipart reader of every upload form (`attachments::read_form`, and
//! `read_originals` for the médiathèque), fed a request whose body is the fuzz input
//! after its first byte (boundary `preaufuzz`), with a store in a scratch folder. It must
//! never panic, keep within its limits, and keep nothing of a refused or cut file.
//!
//! First byte: bit 0 picks `read_form` (publishing, médiathèque picks) rather than
//! `read_originals`; bit 1 small limits (4 kB a file, 6 kB in all, 2 files), so that the
//! refusals are reached with small inputs.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use poem::FromRequest;
use preau::attachments::{self, Limits};
use preau::policy::{Actor, Profile};
use preau::store::{Store, StoreOptions};

pub const BOUNDARY: &str = "preaufuzz";

struct Setup {
    store: Store,
    runtime: tokio::runtime::Runtime,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = preau_fuzz::scratch("multipart");
        Setup {
            store: Store::open_raw(
                &dir.join("data"),
                &StoreOptions::default(),
                &preau::schema::tables(),
            )
            .expect("store"),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
        }
    })
}

fn small() -> Limits {
    let mut l = Limits::quota(4096, 0, 6144);
    l.max_files = 2;
    l
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let s = setup();
    let limits = if mode & 2 != 0 {
        small()
    } else {
        Limits::ATTACHMENTS
    };
    let actor = Actor {
        user_id: 1,
        profile: Profile::Enseignant,
        director: false,
        class_ids: vec![1],
        children: Vec::new(),
        group_ids: Vec::new(),
    };
    let upload = s.runtime.block_on(async {
        let req = poem::Request::builder()
            .method(poem::http::Method::POST)
            .content_type(&format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body.to_vec());
        let (req, mut body) = req.split();
        let mut multipart = poem::web::Multipart::from_request(&req, &mut body)
            .await
            .ok()?;
        // A form over the text limits is refused whole (Err): nothing of it to check.
        if mode & 1 != 0 {
            attachments::read_form(&s.store, &actor, &mut multipart, limits)
                .await
                .ok()
        } else {
            attachments::read_originals(&s.store, &mut multipart, limits)
                .await
                .ok()
        }
    });
    let blobs = s.store.blobs();
    let tmp = s.store.data_dir().join("blobs").join("tmp");
    let leftovers = std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0);
    if let Some(upload) = upload {
        let (_, files, _) = upload.parts();
        assert!(files.len() <= limits.max_files, "{} files", files.len());
        if mode & 1 == 0 {
            // Originals as received: each within the limits, in all within the total.
            let total: u64 = files.iter().map(|f| f.size).sum();
            assert!(files.iter().all(|f| f.size <= limits.file));
            assert!(total <= limits.total, "{total} bytes kept");
        }
        for f in &files {
            assert!(!f.name.contains(['/', '\\']), "a file name with a folder: {f:?}");
        }
    }
    assert_eq!(leftovers, 0, "a refused or cut file left a temporary file");
    // Nothing kept from one input to the next: the store stays small for hours of runs.
    if let Ok(all) = blobs.all() {
        for (id, _) in all {
            let _ = blobs.remove(&id);
        }
    }
});
