//! Files attached to a message, a mot, a séance, a devoir…: one reader for every upload
//! form ([`read_form`]: streamed into the content-addressed blob store, checked by their
//! content against an allow-list, limits from [`Limits`], files picked in the médiathèque
//! merged), served back with their original name and without their metadata ([`serve`]).

use std::io::Write;

use poem::web::Field as UploadField;
use poem::Response;
use serde::{Deserialize, Serialize};

use crate::net::limits::{FIELD_COUNT_LIMIT, TEXT_FIELD_LIMIT, TEXT_TOTAL_LIMIT};
use crate::store::Store;

/// Largest single attached file.
pub const FILE_LIMIT: u64 = 10 * 1024 * 1024;
/// Largest total of the files of one message or mot.
pub const TOTAL_LIMIT: u64 = 25 * 1024 * 1024;
pub const MAX_FILES: usize = 10;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Attachment {
    pub blob: String,
    /// The name as the sender's device gave it, cleaned for display and download.
    pub name: String,
    pub mime: String,
    pub size: u64,
}

impl Attachment {
    pub fn size_text(&self) -> String {
        size_text(self.size)
    }
}

/// « 1,4 Mo », « 820 ko ».
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} ko", bytes.div_ceil(1024).max(1))
    }
}

/// Keeps a file name for display: no folders, no control characters, not too long. The
/// one cleaning of every name a person gives a file (upload, médiathèque rename): the
/// bidirectional controls go too, since U+202E shows « photo\u{202E}gpj.exe » as
/// « photoexe.jpg », as do the other invisible format characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_invisible_format(*c)
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
        })
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "fichier".into()
    } else {
        cleaned
    }
}

/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
/// direction marks (U+200E, U+200F, U+061C), zero-width characters and the BOM.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The type of a file from its first bytes (and, for plain text, its name): `None` when
/// the type is not one a school exchanges (programs, archives, scripts…).
pub fn allowed_type(head: &[u8], name: &str) -> Option<&'static str> {
    if let Some(kind) = infer::get(head) {
        let mime = kind.mime_type();
        let ok = matches!(
            mime,
            "image/jpeg"
                | "image/png"
                | "image/gif"
                | "image/webp"
                | "audio/mpeg"
                | "audio/ogg"
                | "audio/x-wav"
                | "audio/m4a"
                | "audio/x-flac"
                | "audio/webm"
                | "audio/aac"
                | "video/mp4"
                | "video/webm"
                | "video/quicktime"
                | "application/pdf"
                | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
                | "application/vnd.oasis.opendocument.text"
                | "application/vnd.oasis.opendocument.spreadsheet"
                | "application/vnd.oasis.opendocument.presentation"
                | "application/msword"
                | "application/vnd.ms-excel"
                | "application/vnd.ms-powerpoint"
                | "application/rtf"
        );
        return ok.then_some(mime);
    }
    let lower = name.to_lowercase();
    let text_name = [".txt", ".csv", ".md"].iter().any(|e| lower.ends_with(e));
    // Plain text has no signature: accept it by name when it really is text.
    // The first bytes may end in the middle of a character: that is still text.
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if text_name && utf8 && !head.contains(&0) {
        return Some(if lower.ends_with(".csv") {
            "text/csv"
        } else {
            "text/plain"
        });
    }
    None
}

/// How much one form may bring, in one place for every form of Préau.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest single file.
    pub file: u64,
    /// Largest total of the files of the form.
    pub total: u64,
    /// For the médiathèque: what the person has used of their quota (the total is then
    /// the room left), so that a refusal says how much is left.
    quota: Option<(u64, u64)>,
    /// Most files at once.
    pub max_files: usize,
}

impl Limits {
    /// A message, a mot, a séance or a lesson: [`FILE_LIMIT`] a file, [`TOTAL_LIMIT`] in all.
    pub const ATTACHMENTS: Limits = Limits {
        file: FILE_LIMIT,
        total: TOTAL_LIMIT,
        quota: None,
        max_files: MAX_FILES,
    };
    /// One picture or sound (an actualité's image, a question's medium).
    pub const ONE_FILE: Limits = Limits {
        file: FILE_LIMIT,
        total: FILE_LIMIT,
        quota: None,
        max_files: MAX_FILES,
    };

    /// What the director allows this profile for one file in the médiathèque, used for
    /// the blog and the devoirs as well (a pupil's recording, a class's video).
    pub fn profile(store: &Store, profile: crate::policy::Profile) -> crate::store::Result<Limits> {
        let file = crate::media::settings(store)?.file_limit(profile);
        Ok(Limits {
            file,
            total: file,
            quota: None,
            max_files: MAX_FILES,
        })
    }

    /// The médiathèque: the profile's file limit, and the room left in its quota.
    pub fn quota(file: u64, used: u64, quota: u64) -> Limits {
        Limits {
            file,
            total: quota.saturating_sub(used),
            quota: Some((used, quota)),
            // A class's photos of an outing arrive together: the quota is the limit.
            max_files: usize::MAX,
        }
    }

    /// The French sentence for a file refused for its size, `room` being what was left.
    fn too_big(&self, name: &str, room: u64, used_here: u64) -> String {
        if room >= self.file {
            return format!(
                "« {name} » est trop lourd : il dépasse {}, la taille maximale d'un fichier. Envoyez un fichier plus léger (une photo réduite, un PDF compressé).",
                size_text(self.file)
            );
        }
        match self.quota {
            Some((used, quota)) => format!(
                "« {name} » ne tient pas dans la place qui vous reste : {} utilisés sur {} (reste {}).",
                size_text(used + used_here),
                size_text(quota),
                size_text(room)
            ),
            None => format!(
                "« {name} » est trop lourd : les fichiers dépassent {} au total, il n'a pas été ajouté.",
                size_text(self.total)
            ),
        }
    }
}

/// A multipart form as read: its text fields, the files (uploaded, then picked in the
/// médiathèque, each blob once), the French refusals.
pub struct Upload {
    pub texts: Vec<(String, String)>,
    pub files: Vec<Attachment>,
    pub errors: Vec<String>,
}

impl Upload {
    pub fn parts(self) -> (Vec<(String, String)>, Vec<Attachment>, Vec<String>) {
        (self.texts, self.files, self.errors)
    }
}

/// THE reader of every upload form: text fields (200 kB each, 1 MB in all, 1 000 fields at
/// most: see `net::limits`; beyond, the form is refused with a 413 page); files streamed into
/// blobs, their type read from their first bytes against the allow-list, within `limits`;
/// then the files `actor` picked in the médiathèque (field
/// [`crate::media::picker::FIELD`]), checked against what they may read. Every file goes
/// through [`crate::media::images::publish`]: what a form stores may be shown to others.
pub async fn read_form(
    store: &Store,
    actor: &crate::policy::Actor,
    multipart: &mut poem::web::Multipart,
    limits: Limits,
) -> Result<Upload, TooLarge> {
    let mut out = read_fields(store, multipart, limits).await?;
    for f in out.files.iter_mut() {
        *f = crate::media::images::publish(store, f.clone()).await;
    }
    let picked = crate::ui::form::all_values(&out.texts, crate::media::picker::FIELD);
    if !picked.is_empty() {
        match crate::media::picker::resolve(store, actor, &picked) {
            Ok(list) => out.files.extend(list),
            Err(e) => out.errors.push(e),
        }
    }
    // The same file uploaded twice, or uploaded and picked: attached once.
    let mut seen = std::collections::HashSet::new();
    out.files.retain(|f| seen.insert(f.blob.clone()));
    Ok(out)
}

/// The reader for the médiathèque, which keeps the originals (its owner may download
/// them; others get its own web versions): text fields and files, nothing published.
pub async fn read_originals(
    store: &Store,
    multipart: &mut poem::web::Multipart,
    limits: Limits,
) -> Result<Upload, TooLarge> {
    read_fields(store, multipart, limits).await
}

async fn read_fields(
    store: &Store,
    multipart: &mut poem::web::Multipart,
    limits: Limits,
) -> Result<Upload, TooLarge> {
    let mut out = Upload {
        texts: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
    };
    let mut used = 0u64;
    let (mut fields, mut text_bytes) = (0usize, 0usize);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                // A form cut short or malformed: what came is not the whole form.
                out.errors.push(INCOMPLETE.into());
                break;
            }
        };
        fields += 1;
        if fields > FIELD_COUNT_LIMIT {
            return Err(too_large(out));
        }
        let name = field.name().unwrap_or("").to_string();
        if field.file_name().is_some() {
            if out.files.len() >= limits.max_files {
                let e = format!("{} fichiers au plus en une fois.", limits.max_files);
                if !out.errors.contains(&e) {
                    out.errors.push(e);
                }
                continue;
            }
            let room = limits.total.saturating_sub(used);
            let too_big = |n: &str| limits.too_big(n, room, used);
            match store_stream(store, field, limits.file.min(room), too_big).await {
                Ok(Some(a)) => {
                    used += a.size;
                    out.files.push(a);
                }
                Ok(None) => {}
                Err(e) => out.errors.push(e),
            }
        } else {
            // At most one byte past the room is read: a field over its limit, or over what
            // is left of the form's, stops the reading there (nothing beyond is buffered).
            let room = TEXT_FIELD_LIMIT.min(TEXT_TOTAL_LIMIT.saturating_sub(text_bytes));
            use tokio::io::AsyncReadExt;
            let mut bytes = Vec::new();
            let read = field
                .into_async_read()
                .take(room as u64 + 1)
                .read_to_end(&mut bytes)
                .await;
            if read.is_err() {
                out.errors.push(INCOMPLETE.into());
                return Ok(out);
            }
            if bytes.len() > room {
                return Err(too_large(out));
            }
            text_bytes += bytes.len();
            if let Ok(text) = String::from_utf8(bytes) {
                out.texts.push((name, text));
            }
        }
    }
    Ok(out)
}

const INCOMPLETE: &str = "Le formulaire n'est pas arrivé en entier : envoyez-le de nouveau.";

/// A form over one of the text limits: the reading stops, the handler is told by an error
/// (so that it saves nothing) and the request ends with a 413 page (`net::limits`).
fn too_large(out: Upload) -> TooLarge {
    crate::net::limits::crossed();
    // Files already stored are left to the hourly sweep: nothing of the form is kept.
    drop(out);
    TooLarge
}

/// A form over one of the text limits. The reading stopped there, and the handler gets no
/// fields at all: it cannot save half a form (a draft, a mot) by mistake. Its refusal
/// becomes the French 413 page (`net::limits`).
#[derive(Debug)]
pub struct TooLarge;

impl From<TooLarge> for crate::error::AppError {
    fn from(_: TooLarge) -> Self {
        crate::error::AppError::BadRequest(crate::net::limits::TOO_LARGE.to_string())
    }
}

/// Streams an uploaded file to a temporary file, never holding it whole in memory; over
/// `limit` bytes it stops, removes the temporary file and answers `too_big(name)`. The
/// type is read from the first bytes. Nothing is kept of a refused or interrupted file.
pub async fn store_stream(
    store: &Store,
    field: UploadField,
    limit: u64,
    too_big: impl Fn(&str) -> String,
) -> Result<Option<Attachment>, String> {
    let name = clean_name(field.file_name().unwrap_or(""));
    let declared_audio = field
        .content_type()
        .is_some_and(|t| t.starts_with("audio/"));
    let mut stream = field.into_async_read();
    let mut head = Vec::new();
    let mut writer = store.blobs().writer().map_err(|e| disk_error(&name, e))?;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        use tokio::io::AsyncReadExt;
        let n = stream.read(&mut chunk).await.map_err(|_| {
            format!("L'envoi de « {name} » a été interrompu : rien n'a été gardé de ce fichier.")
        })?;
        if n == 0 {
            break;
        }
        let read = chunk.get(..n).unwrap_or_default();
        if head.len() < 8192 {
            head.extend_from_slice(read.get(..8192 - head.len()).unwrap_or(read));
            // Refused as soon as its type is known: a wrong file is not written to the end.
            if head.len() == 8192 && allowed_type(&head, &name).is_none() {
                return Err(wrong_type(&name, &head));
            }
        }
        if writer.len() + n as u64 > limit {
            return Err(too_big(&name));
        }
        writer.write_all(read).map_err(|e| disk_error(&name, e))?;
    }
    if writer.is_empty() && name == "fichier" {
        // An empty file input: nothing was chosen.
        return Ok(None);
    }
    let Some(mime) = allowed_type(&head, &name) else {
        return Err(wrong_type(&name, &head));
    };
    // A recording from the browser is a WebM or MP4 container with sound only: its
    // signature says « video », the recorder says « audio ».
    let mime = match mime {
        "video/webm" if declared_audio => "audio/webm",
        "video/mp4" if declared_audio => "audio/mp4",
        other => other,
    };
    let size = writer.len();
    let blob = writer.finish().map_err(|e| disk_error(&name, e))?;
    Ok(Some(Attachment {
        blob: blob.as_str().to_string(),
        name,
        mime: mime.to_string(),
        size,
    }))
}

fn wrong_type(name: &str, head: &[u8]) -> String {
    if matches!(
        infer::get(head).map(|k| k.mime_type()),
        Some("image/heif" | "image/avif")
    ) {
        return format!(
            "« {name} » est une photo au format HEIC ou AVIF, que Préau ne sait pas réduire ni nettoyer : choisissez le format « le plus compatible » (JPEG) dans les réglages de l'appareil photo, ou convertissez-la."
        );
    }
    format!(
        "« {name} » n'est pas d'un type accepté : images, sons, vidéos, PDF, documents de bureautique et textes seulement."
    )
}

fn disk_error(name: &str, e: std::io::Error) -> String {
    if e.raw_os_error() == Some(libc::ENOSPC) {
        format!("Le disque du serveur de l'école est plein : « {name} » n'a pas été enregistré. Prévenez la direction.")
    } else {
        format!("« {name} » n'a pas pu être enregistré ({e}).")
    }
}

/// The `Range` header of a request, for [`serve`].
pub fn range(req: &poem::Request) -> Option<&str> {
    req.headers()
        .get(poem::http::header::RANGE)
        .and_then(|v| v.to_str().ok())
}

/// Sends a stored attachment with its name; inline for images, audio, video and PDF;
/// HTTP ranges honoured (players of sound and video ask for parts). Pictures go through
/// the publishing step: one stored before uploads were cleaned leaves without its EXIF.
pub async fn serve(store: &Store, a: &Attachment, range: Option<&str>) -> Response {
    let a = crate::media::images::published(store, a).await;
    crate::media::serve::blob(store, &a.blob, &a.mime, &a.name, false, range).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_from_the_content() {
        assert_eq!(
            allowed_type(b"%PDF-1.7\n", "x.pdf"),
            Some("application/pdf")
        );
        assert_eq!(
            allowed_type(
                &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'],
                "photo.exe"
            ),
            Some("image/jpeg"),
            "the content decides, not the name"
        );
        assert_eq!(
            allowed_type(b"MZ\x90\x00\x03\x00", "devoir.pdf"),
            None,
            "a Windows program"
        );
        assert_eq!(allowed_type(b"#!/bin/sh\nrm -rf /", "notes.sh"), None);
        assert_eq!(allowed_type(b"Bonjour\n", "mot.txt"), Some("text/plain"));
        assert_eq!(
            allowed_type("été".as_bytes().split_at(2).0, "mot.txt"),
            Some("text/plain"),
            "cut in a character"
        );
        assert_eq!(allowed_type(b"<script>", "page.html"), None);
    }

    #[test]
    fn names_lose_their_folders_and_dangerous_characters() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\x\\Sortie.pdf"), "Sortie.pdf");
        assert_eq!(clean_name("\"a<b>\".pdf"), "ab.pdf");
        assert_eq!(clean_name(".."), "fichier");
        assert_eq!(clean_name(""), "fichier");
        assert_eq!(clean_name("photo\u{202E}gpj.exe"), "photogpj.exe");
        assert_eq!(
            clean_name("\u{2066}a\u{2069}\u{200E}b\u{200F}\u{061C}c\u{202A}d\u{202C}\u{FEFF}.pdf"),
            "abcd.pdf"
        );
        assert_eq!(clean_name("\u{202E}"), "fichier");
        assert_eq!(clean_name("Sortie à l'école.pdf"), "Sortie à l'école.pdf");
    }

    #[test]
    fn a_full_disk_is_said_plainly() {
        let e = std::io::Error::from_raw_os_error(libc::ENOSPC);
        assert!(disk_error("photo.jpg", e).contains("Le disque du serveur de l'école est plein"));
    }

    #[test]
    fn refusals_say_which_limit_was_reached() {
        let per_file = Limits::ATTACHMENTS.too_big("gros.pdf", TOTAL_LIMIT, 0);
        assert!(per_file.contains("trop lourd") && per_file.contains("dépasse 10,0 Mo"));
        let total = Limits::ATTACHMENTS.too_big("de trop.pdf", 1024, TOTAL_LIMIT - 1024);
        assert!(total.contains("25,0 Mo au total"), "{total}");
        let quota = Limits::quota(FILE_LIMIT, 1024 * 1024, 2 * 1024 * 1024);
        assert_eq!(quota.total, 1024 * 1024, "the room left");
        assert_eq!(quota.max_files, usize::MAX, "the quota is the limit");
        let text = quota.too_big("film.mp4", quota.total, 0);
        assert!(
            text.contains("ne tient pas dans la place qui vous reste : 1,0 Mo utilisés sur 2,0 Mo"),
            "{text}"
        );
    }

    #[test]
    fn sizes_in_french() {
        assert_eq!(size_text(1536 * 1024), "1,5 Mo");
        assert_eq!(size_text(10), "1 ko");
    }
}
