//! The médiathèque over HTTP: spaces and who opens them, uploads checked by content and
//! quota, Range requests, shares within the rules, trash and purge, images without EXIF,
//! and the picker that puts a file into a message. The tests are grouped by theme in the
//! submodules; the helpers they share (also used by `media_rights` and other files) live
//! here.

mod photos;
mod shares;
mod spaces;
mod uploads;

use std::io::Cursor;

use crate::common::{Client, Page};

/// Uploads files into a space (and folder) and returns the page it leads to.
pub(crate) async fn upload(
    c: &mut Client,
    space: &str,
    folder: Option<u64>,
    files: &[(&str, Vec<u8>)],
) -> Page {
    c.get(&format!("/mediatheque/espace/{space}")).await;
    let path = match folder {
        Some(f) => format!("/mediatheque/espace/{space}/envoyer?dossier={f}"),
        None => format!("/mediatheque/espace/{space}/envoyer"),
    };
    let files: Vec<(&str, &str, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| ("files", *n, b.clone()))
        .collect();
    let r = c.post_multipart(&path, &[], &files).await;
    assert_eq!(r.status, 303, "{}", r.body);
    c.get(&r.location.unwrap()).await
}

/// The id of the item called `name` on a page.
pub(crate) fn item_id(page: &str, name: &str) -> u64 {
    let marker = "href=\"/mediatheque/element/";
    for (i, _) in page.match_indices(marker) {
        let rest = &page[i + marker.len()..];
        let id: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let text_start = rest.find('>').unwrap() + 1;
        if rest[text_start..].starts_with(name) {
            return id.parse().unwrap();
        }
    }
    panic!("{name} not on the page: {page}");
}

pub(crate) fn pdf(size: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n".to_vec();
    v.resize(size, b' ');
    v
}

/// A phone photo: JPEG with an EXIF block (orientation and a GPS position).
pub fn phone_photo() -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(64, 32);
    let mut jpeg = Vec::new();
    img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}
