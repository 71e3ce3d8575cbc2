//! Smaller versions of an uploaded image: a web size (what parents at home load over the
//! school's slow upload) and a thumbnail. Both are decoded and encoded again, so the EXIF
//! data (GPS position, camera, date) of the original is not in them; the EXIF orientation
//! is applied to the pixels first, so that a phone photo stands the right way up.

use std::io::Cursor;
use std::path::Path;

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

/// The version of an uploaded image fit for publishing: reduced, upright, without EXIF
/// (or, for a JPEG too large to decode, without its metadata segments). Anything else is
/// returned as it was.
pub async fn for_publishing(
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
    let is_jpeg = a.mime == "image/jpeg";
    let made = tokio::task::spawn_blocking(move || {
        if let Some(d) = derive(&path) {
            let id = store2.blobs().put_bytes(&d.web).ok()?;
            return Some((id, d.web.len() as u64, d.mime));
        }
        if is_jpeg {
            let clean = strip_jpeg_metadata(&std::fs::read(&path).ok()?)?;
            let id = store2.blobs().put_bytes(&clean).ok()?;
            return Some((id, clean.len() as u64, "image/jpeg"));
        }
        None
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

/// Web-size and thumbnail versions of the image at `path`.
pub fn derive(path: &Path) -> Option<Derived> {
    let img = decode(path)?;
    let web = if img.width() > WEB_SIDE || img.height() > WEB_SIDE {
        img.resize(WEB_SIDE, WEB_SIDE, FilterType::Triangle)
    } else {
        img.clone()
    };
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
    fn what_is_not_an_image_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jpg");
        std::fs::write(&path, b"%PDF-1.4 not an image").unwrap();
        assert!(derive(&path).is_none());
    }
}
