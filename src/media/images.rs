//! Smaller versions of an uploaded image: a web size (what parents at home load over the
//! school's slow upload) and a thumbnail. Both are decoded and encoded again, so the EXIF
//! data (GPS position, camera, date) of the original is not in them; the EXIF orientation
//! is applied to the pixels first, so that a phone photo stands the right way up.
//! [`publish`] is the one step every file shown to others goes through, at upload, and
//! [`published`] again when a file is sent (for what was stored before it existed).

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

pub const WEB_SIDE: u32 = 1600;
pub const THUMB_SIDE: u32 = 320;
/// Images larger than this are kept as they are (decoding them would take too much memory
/// on a Raspberry Pi).
pub const MAX_PIXELS_SIDE: u32 = 12_000;

pub struct Derived {
    pub web: Vec<u8>,
    pub thumb: Vec<u8>,
    pub mime: &'static str,
}

/// The upright image, or `None` when it cannot be decoded within the limits.
pub fn decode(path: &Path) -> Option<DynamicImage> {
    let mut reader = ImageReader::open(path).ok()?.with_guessed_format().ok()?;
    if reader.format() == Some(ImageFormat::Gif) {
        // Animated pictures stay as they are (no EXIF in GIF).
        return None;
    }
    // The WebP decoder allocates a metadata chunk at its declared size before any limit
    // applies (4 GB for a 200-byte file, found by fuzzing): only WebPs whose every chunk
    // fits in the file are decoded.
    if reader.format() == Some(ImageFormat::WebP)
        && strip_webp_metadata(&std::fs::read(path).ok()?).is_none()
    {
        return None;
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_SIDE);
    limits.max_image_height = Some(MAX_PIXELS_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok()?;
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    img.apply_orientation(orientation);
    Some(img)
}

fn encode(img: &DynamicImage) -> Option<(Vec<u8>, &'static str)> {
    let mut out = Vec::new();
    if img.color().has_alpha() {
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .ok()?;
        Some((out, "image/png"))
    } else {
        let encoder = JpegEncoder::new_with_quality(&mut out, 82);
        img.to_rgb8().write_with_encoder(encoder).ok()?;
        Some((out, "image/jpeg"))
    }
}

/// A JPEG without its metadata segments (APP1 Exif/XMP, APP13 IPTC…): for a photo too
/// large to decode here, so that what others download carries no GPS position. `None`
/// when the bytes are not a well-formed JPEG.
#[allow(
    clippy::indexing_slicing,
    reason = "each index is checked against the length just before it"
)]
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    loop {
        if i + 4 > bytes.len() || bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        // Start of scan: the image data follows to the end, copied as is.
        if marker == 0xDA {
            out.extend_from_slice(&bytes[i..]);
            return Some(out);
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if len < 2 || i + 2 + len > bytes.len() {
            return None;
        }
        // APP1..APP15 and comments hold metadata; APP0 (JFIF) and tables are kept.
        let metadata = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
        if !metadata {
            out.extend_from_slice(&bytes[i..i + 2 + len]);
        }
        i += 2 + len;
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// PNG chunks that carry metadata rather than pixels: EXIF (GPS position, camera), text
/// (XMP, comments, software) and the time of the last change.
fn png_metadata_chunk(kind: &[u8]) -> bool {
    matches!(kind, b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt" | b"tIME")
}

/// A PNG without its metadata chunks, for a picture too large to decode here. `None`
/// when the bytes are not a well-formed PNG.
pub fn strip_png_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let mut out = PNG_SIGNATURE.to_vec();
    let mut i = PNG_SIGNATURE.len();
    while i < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(i + 4..i + 8)?;
        // Length, type, data and CRC: a chunk is copied whole, its CRC stays right.
        let chunk = bytes.get(i..i.checked_add(12)?.checked_add(len)?)?;
        if !png_metadata_chunk(kind) {
            out.extend_from_slice(chunk);
        }
        i += chunk.len();
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

/// A WebP without its EXIF and XMP chunks (and without the flags announcing them), for a
/// picture too large to decode here. `None` when the bytes are not a well-formed WebP.
pub fn strip_webp_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(b"RIFF") || bytes.get(8..12) != Some(b"WEBP") {
        return None;
    }
    let mut out = bytes.get(..12)?.to_vec();
    let mut i = 12;
    while i < bytes.len() {
        let (kind, len) = bytes.get(i..i.checked_add(8)?)?.split_at(4);
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        // Chunks are padded to an even length.
        let data_end = i.checked_add(8)?.checked_add(len)?;
        if data_end > bytes.len() {
            return None;
        }
        // The padding byte of the last chunk is sometimes missing: tolerated.
        let end = (data_end + len % 2).min(bytes.len());
        let chunk = bytes.get(i..end)?;
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut c = chunk.to_vec();
                // The flags byte: 0x08 says EXIF follows, 0x04 XMP.
                *c.get_mut(8)? &= !0x0C;
                out.extend_from_slice(&c);
            }
            _ => out.extend_from_slice(chunk),
        }
        i = end;
    }
    let size = u32::try_from(out.len().checked_sub(8)?).ok()?;
    out.get_mut(4..8)?.copy_from_slice(&size.to_le_bytes());
    Some(out)
}

/// Whether an image's bytes carry metadata that others must not receive (EXIF, XMP,
/// IPTC, comments). A file that cannot be read to the end of its headers counts as
/// carrying some: it is then cleaned rather than trusted.
pub fn carries_metadata(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return strip_jpeg_metadata(bytes).is_none_or(|clean| clean.len() != bytes.len());
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return strip_png_metadata(bytes).is_none_or(|clean| clean.len() != bytes.len());
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return strip_webp_metadata(bytes).is_none_or(|clean| clean.len() != bytes.len());
    }
    false
}

/// Whether the picture in `bytes` fits the web size (its header says so).
fn fits_web_size(bytes: &[u8]) -> bool {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .is_some_and(|(w, h)| w <= WEB_SIDE && h <= WEB_SIDE)
}

/// The clean version of the image at `path` as (bytes, type): reduced to the web size and
/// upright, without metadata; for a picture too large to decode, its metadata segments
/// (JPEG) or chunks (PNG) removed. `None` when the file may go as it is (a picture already
/// small and clean, a GIF, anything that is not a picture).
fn clean_version(path: &Path, mime: &str) -> Option<(Vec<u8>, &'static str)> {
    if !mime.starts_with("image/") || mime == "image/gif" {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if !carries_metadata(&bytes) && fits_web_size(&bytes) {
        return None;
    }
    if let Some(img) = decode(path) {
        return encode(&web_size(&img));
    }
    if let Some(clean) = strip_jpeg_metadata(&bytes) {
        return Some((clean, "image/jpeg"));
    }
    if let Some(clean) = strip_png_metadata(&bytes) {
        return Some((clean, "image/png"));
    }
    strip_webp_metadata(&bytes).map(|clean| (clean, "image/webp"))
}

/// The one publishing step: the version of a file fit to be shown to others. Photos are
/// reduced to the web size and lose their EXIF/XMP data (GPS position, camera); a JPEG,
/// PNG or WebP too large to decode loses its metadata segments or chunks. Anything else is returned as it
/// was; so is a picture already small and clean, which makes the step safe to repeat.
pub async fn publish(
    store: &crate::store::Store,
    a: crate::attachments::Attachment,
) -> crate::attachments::Attachment {
    if !a.mime.starts_with("image/") || a.mime == "image/gif" {
        return a;
    }
    let Some(id) = crate::store::BlobId::parse(&a.blob) else {
        return a;
    };
    let path = store.blobs().path(&id);
    let store2 = store.clone();
    let mime = a.mime.clone();
    let made = tokio::task::spawn_blocking(move || {
        let (bytes, mime) = clean_version(&path, &mime)?;
        let id = store2.blobs().put_bytes(&bytes).ok()?;
        Some((id, bytes.len() as u64, mime))
    })
    .await
    .ok()
    .flatten();
    match made {
        Some((id, size, mime)) => crate::attachments::Attachment {
            blob: id.as_str().to_string(),
            name: a.name,
            mime: mime.to_string(),
            size,
        },
        None => a,
    }
}

/// What was published for a stored blob, remembered by the blob's path (content
/// addressed: the same path always holds the same bytes, so the answer never goes stale).
type Published = (String, String, u64);

fn published_cache() -> &'static Mutex<HashMap<PathBuf, Published>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Published>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The version of a stored attachment to send to someone: [`publish`] applied when it is
/// first downloaded, then remembered. Files stored before every upload went through
/// [`publish`] (a photo in the cahier de textes, a devoir…) are thus never sent with their
/// GPS position; files already clean cost one read of their headers, once.
pub async fn published(
    store: &crate::store::Store,
    a: &crate::attachments::Attachment,
) -> crate::attachments::Attachment {
    if !a.mime.starts_with("image/") || a.mime == "image/gif" {
        return a.clone();
    }
    let Some(id) = crate::store::BlobId::parse(&a.blob) else {
        return a.clone();
    };
    let key = store.blobs().path(&id);
    let known = published_cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    if let Some((blob, mime, size)) = known {
        // The clean copy may have been swept (nothing refers to it): made again then.
        if crate::store::BlobId::parse(&blob).is_some_and(|b| store.blobs().exists(&b)) {
            return crate::attachments::Attachment {
                blob,
                name: a.name.clone(),
                mime,
                size,
            };
        }
    }
    let clean = publish(store, a.clone()).await;
    published_cache()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, (clean.blob.clone(), clean.mime.clone(), clean.size));
    clean
}

fn web_size(img: &DynamicImage) -> DynamicImage {
    if img.width() > WEB_SIDE || img.height() > WEB_SIDE {
        img.resize(WEB_SIDE, WEB_SIDE, FilterType::Triangle)
    } else {
        img.clone()
    }
}

/// Web-size and thumbnail versions of the image at `path`.
pub fn derive(path: &Path) -> Option<Derived> {
    let img = decode(path)?;
    let web = web_size(&img);
    let thumb = img.thumbnail(THUMB_SIDE, THUMB_SIDE);
    let (web, mime) = encode(&web)?;
    let (thumb, _) = encode(&thumb)?;
    Some(Derived { web, thumb, mime })
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A JPEG of `w`×`h` with an EXIF block: orientation 6 (turn 90°) and a GPS position.
    pub fn phone_photo(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
        tiff.extend_from_slice(&2u16.to_le_bytes());
        // Orientation (0x0112), SHORT, 1, value 6
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
        // GPS IFD pointer (0x8825), LONG, 1, offset 38
        tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD: GPSLatitudeRef = "N"
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        let mut app1 = b"Exif\x00\x00".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// The CRC of a PNG chunk (type and data), as the format asks.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= *b as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A PNG of `w`×`h` with an eXIf chunk (a GPS position) and a tEXt chunk.
    pub fn png_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgba8(w, h);
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            let mut typed = kind.to_vec();
            typed.extend_from_slice(data);
            c.extend_from_slice(&crc32(&typed).to_be_bytes());
            c
        };
        let jpeg = phone_photo(8, 8);
        let tiff = &jpeg[2 + 4 + 6..2 + 4 + 6 + 58];
        // After the signature (8) and IHDR (25).
        let mut out = png[..33].to_vec();
        out.extend(chunk(b"eXIf", tiff));
        out.extend(chunk(b"tEXt", b"Software\0Appareil photo"));
        out.extend_from_slice(&png[33..]);
        out
    }

    #[test]
    fn metadata_chunks_are_stripped_from_a_png() {
        let png = png_with_exif(30, 10);
        assert!(image::load_from_memory(&png).is_ok(), "a valid PNG");
        assert!(carries_metadata(&png));
        let clean = strip_png_metadata(&png).unwrap();
        assert!(!clean.windows(4).any(|w| w == b"eXIf" || w == b"tEXt"));
        assert!(!carries_metadata(&clean));
        let img = image::load_from_memory(&clean).unwrap();
        assert_eq!((img.width(), img.height()), (30, 10));
        assert!(strip_png_metadata(&png[..40]).is_none(), "truncated");
    }

    #[test]
    fn metadata_chunks_are_stripped_from_a_webp() {
        let mut lossless = Vec::new();
        DynamicImage::new_rgb8(12, 8)
            .write_to(&mut Cursor::new(&mut lossless), ImageFormat::WebP)
            .unwrap();
        let vp8l = &lossless[12..];
        let mut body = b"WEBP".to_vec();
        // VP8X: flags (EXIF), reserved, canvas width - 1 and height - 1 on 24 bits.
        body.extend_from_slice(b"VP8X");
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0x08, 0, 0, 0, 11, 0, 0, 7, 0, 0]);
        body.extend_from_slice(vp8l);
        let tiff = &phone_photo(8, 8)[12..70];
        body.extend_from_slice(b"EXIF");
        body.extend_from_slice(&(tiff.len() as u32).to_le_bytes());
        body.extend_from_slice(tiff);
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&(body.len() as u32).to_le_bytes());
        webp.extend_from_slice(&body);
        assert!(carries_metadata(&webp));
        let clean = strip_webp_metadata(&webp).unwrap();
        assert!(!carries_metadata(&clean));
        assert!(!clean.windows(4).any(|w| w == b"EXIF"));
        assert_eq!(clean[20] & 0x08, 0, "the flag says no EXIF");
        let img = image::load_from_memory(&clean).unwrap();
        assert_eq!((img.width(), img.height()), (12, 8));
    }

    #[tokio::test]
    async fn publishing_cleans_once_and_leaves_clean_pictures_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            crate::store::Store::open_raw(dir.path(), &crate::store::StoreOptions::default(), &[])
                .unwrap();
        for (bytes, mime) in [
            (phone_photo(40, 20), "image/jpeg"),
            (png_with_exif(30, 10), "image/png"),
        ] {
            let blob = store.blobs().put_bytes(&bytes).unwrap();
            let raw = crate::attachments::Attachment {
                blob: blob.as_str().to_string(),
                name: "photo".into(),
                mime: mime.into(),
                size: bytes.len() as u64,
            };
            let clean = publish(&store, raw.clone()).await;
            assert_ne!(clean.blob, raw.blob);
            let id = crate::store::BlobId::parse(&clean.blob).unwrap();
            let out = store.blobs().read(&id).unwrap();
            assert!(!carries_metadata(&out), "{mime}");
            assert!(!out.windows(4).any(|w| w == b"Exif" || w == b"eXIf"));
            assert!(image::load_from_memory(&out).is_ok());
            assert_eq!(publish(&store, clean.clone()).await, clean, "again: as is");
            assert_eq!(published(&store, &raw).await, clean, "at serve time");
        }
    }

    #[test]
    fn web_versions_are_upright_small_and_without_exif() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, phone_photo(2400, 1200)).unwrap();
        let d = derive(&path).expect("derived");
        assert_eq!(d.mime, "image/jpeg");
        let web = image::load_from_memory(&d.web).unwrap();
        assert_eq!(
            (web.width(), web.height()),
            (800, 1600),
            "turned upright, then reduced"
        );
        let thumb = image::load_from_memory(&d.thumb).unwrap();
        assert!(thumb.width() <= THUMB_SIDE && thumb.height() <= THUMB_SIDE);
        for bytes in [&d.web, &d.thumb] {
            assert!(!bytes.windows(4).any(|w| w == b"Exif"), "no EXIF left");
        }
    }

    #[test]
    fn metadata_segments_are_stripped_from_a_jpeg() {
        let photo = phone_photo(40, 20);
        assert!(photo.windows(4).any(|w| w == b"Exif"));
        let clean = strip_jpeg_metadata(&photo).unwrap();
        assert!(!clean.windows(4).any(|w| w == b"Exif"), "no EXIF left");
        let img = image::load_from_memory(&clean).unwrap();
        assert_eq!(
            (img.width(), img.height()),
            (40, 20),
            "the picture itself is intact"
        );
        assert!(strip_jpeg_metadata(b"%PDF").is_none());
        assert!(strip_jpeg_metadata(&photo[..30]).is_none(), "truncated");
    }

    #[test]
    fn a_webp_announcing_a_huge_exif_chunk_is_not_decoded() {
        // Found by the `images` fuzz target: a 215-byte WebP whose EXIF chunk says
        // 0xFFFF003A bytes made the decoder allocate 4 GB, which aborts the server on a
        // small machine.
        let mut webp =
            b"RIFF\xc2\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x0b\x00\x00\x07\x00\x00"
                .to_vec();
        let mut lossless = Vec::new();
        DynamicImage::new_rgb8(12, 8)
            .write_to(&mut Cursor::new(&mut lossless), ImageFormat::WebP)
            .unwrap();
        webp.extend_from_slice(&lossless[12..]);
        webp.extend_from_slice(b"EXIF\x3a\x00\xff\xffII*\x00\x08\x00\x00\x00");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.webp");
        std::fs::write(&path, &webp).unwrap();
        assert!(decode(&path).is_none());
        assert!(derive(&path).is_none());
        // The same picture with its chunks whole is still decoded.
        let whole = strip_webp_metadata(&webp[..webp.len() - 16]).unwrap();
        std::fs::write(&path, &whole).unwrap();
        assert_eq!(
            decode(&path).map(|i| (i.width(), i.height())),
            Some((12, 8))
        );
    }

    #[test]
    fn what_is_not_an_image_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jpg");
        std::fs::write(&path, b"%PDF-1.4 not an image").unwrap();
        assert!(derive(&path).is_none());
    }
}
