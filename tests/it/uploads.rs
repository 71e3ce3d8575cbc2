//! Every form that accepts files, with a phone photo (JPEG, EXIF with GPS position and
//! camera) and a PNG carrying the same in an eXIf chunk: what another person downloads is
//! still a picture, and carries neither the position nor the camera.

use crate::common::{populate, Client, Folks, TestServer, DIRECTOR_LOGIN};

const MAKE: &[u8] = b"Canonette";
const MODEL: &[u8] = b"PowerShot G7";

/// A TIFF block as cameras write it: IFD0 with the make, the model and a pointer to a GPS
/// IFD holding a latitude (N, 48° 51' 24").
fn tiff_with_gps() -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value.to_le_bytes());
        e
    };
    // IFD0 at 8: 3 entries → 2 + 36 + 4 bytes; then the make, the model, then the GPS IFD.
    let make_at = 8 + 2 + 3 * 12 + 4;
    let model_at = make_at + MAKE.len() + 1;
    let gps_at = (model_at + MODEL.len() + 1).next_multiple_of(2);
    let lat_at = gps_at + 2 + 2 * 12 + 4;
    let mut t = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    t.extend_from_slice(&3u16.to_le_bytes());
    t.extend(entry(0x010F, 2, MAKE.len() as u32 + 1, make_at as u32));
    t.extend(entry(0x0110, 2, MODEL.len() as u32 + 1, model_at as u32));
    t.extend(entry(0x8825, 4, 1, gps_at as u32));
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(MAKE);
    t.push(0);
    t.extend_from_slice(MODEL);
    t.push(0);
    t.resize(gps_at, 0);
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend(entry(0x0001, 2, 2, u32::from_le_bytes([b'N', 0, 0, 0])));
    t.extend(entry(0x0002, 5, 3, lat_at as u32));
    t.extend_from_slice(&0u32.to_le_bytes());
    for (num, den) in [(48u32, 1u32), (51, 1), (24, 1)] {
        t.extend_from_slice(&num.to_le_bytes());
        t.extend_from_slice(&den.to_le_bytes());
    }
    t
}

fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let mut img = image::RgbImage::new(64, 48);
    for (x, y, p) in img.enumerate_pixels_mut() {
        *p = image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]);
    }
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// A phone photo: a JPEG with an APP1 Exif segment (GPS position, make, model).
fn jpeg_with_gps() -> Vec<u8> {
    let jpeg = encoded(image::ImageFormat::Jpeg);
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend(tiff_with_gps());
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

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

/// A PNG with the same block in an eXIf chunk, right after its header.
fn png_with_gps() -> Vec<u8> {
    let png = encoded(image::ImageFormat::Png);
    let data = tiff_with_gps();
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"eXIf".to_vec();
    typed.extend_from_slice(&data);
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    // The signature (8 bytes) and IHDR (25 bytes) come first.
    let mut out = png[..33].to_vec();
    out.extend(chunk);
    out.extend_from_slice(&png[33..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// What a person downloaded: a picture, without EXIF, GPS position or camera.
fn assert_clean(bytes: &[u8], what: &str) {
    assert!(
        image::load_from_memory(bytes).is_ok(),
        "{what}: still a picture"
    );
    assert!(
        !preau::media::images::carries_metadata(bytes),
        "{what}: metadata left"
    );
    for marker in [&b"Exif\0"[..], b"eXIf", MAKE, MODEL] {
        assert!(
            !contains(bytes, marker),
            "{what}: {} left",
            String::from_utf8_lossy(marker)
        );
    }
}

fn photos(field: &'static str) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        (field, "sortie.jpg", jpeg_with_gps()),
        (field, "plan.png", png_with_gps()),
    ]
}

/// The links of a page (href or src) that start with `prefix`, once each.
fn links(body: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in body.match_indices(&format!("{attr}{prefix}")) {
            let start = i + attr.len();
            let end = body[start..].find('"').unwrap() + start;
            let link = body[start..end].replace("&amp;", "&");
            if !out.contains(&link) {
                out.push(link);
            }
        }
    }
    out
}

async fn download(c: &Client, path: &str) -> Vec<u8> {
    let resp = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{path}");
    resp.bytes().await.unwrap().to_vec()
}

/// Downloads, as `c`, every file linked from `page` under `prefix`: there must be `count`.
async fn check_files(c: &mut Client, page: &str, prefix: &str, count: usize, what: &str) {
    let body = c.get(page).await.body;
    let found = links(&body, prefix);
    assert_eq!(found.len(), count, "{what}: {found:?} on {page}");
    for link in found {
        let bytes = download(c, &link).await;
        assert_clean(&bytes, &format!("{what} ({link})"));
    }
}

/// The id just before `>{title}<` in a link to `/{base}/<id>`.
fn id_before(body: &str, base: &str, title: &str) -> u64 {
    let i = body
        .find(&format!(">{title}<"))
        .unwrap_or_else(|| panic!("{title} not on the page"));
    let start = body[..i].rfind(base).unwrap() + base.len();
    body[start..i]
        .trim_end_matches('"')
        .parse()
        .unwrap_or_else(|_| panic!("no id for {title}"))
}

fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

struct Rig {
    server: TestServer,
    f: Folks,
    director: Client,
    lou: Client,
    marc: Client,
}

async fn rig() -> Rig {
    let server = TestServer::installed().await;
    let f = populate(&server.store());
    let director = server.signed_in(DIRECTOR_LOGIN).await;
    let lou = server.signed_in("lou.petit").await;
    let marc = server.signed_in("marc.petit").await;
    Rig {
        server,
        f,
        director,
        lou,
        marc,
    }
}

#[tokio::test]
async fn messages_mots_news_blog_and_mediatheque_send_photos_without_their_position() {
    let Rig {
        server,
        f,
        mut director,
        lou,
        mut marc,
    } = rig().await;

    // Messagerie: the director writes to Marc, who downloads.
    director.get("/messagerie/ecrire").await;
    let r = director
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{}", f.marc)),
                ("subject", "Photos de la sortie"),
                ("body", "Les voici."),
                ("action", "envoyer"),
            ],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Marc has no other message: the first link to one is this one.
    let inbox = marc.get("/messagerie").await.body;
    let marker = "href=\"/messagerie/";
    let id: u64 = inbox
        .match_indices(marker)
        .map(|(i, _)| {
            inbox[i + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .find(|d| !d.is_empty())
        .expect("the message in Marc's inbox")
        .parse()
        .unwrap();
    check_files(
        &mut marc,
        &format!("/messagerie/{id}"),
        &format!("/messagerie/{id}/pieces/"),
        2,
        "messagerie",
    )
    .await;

    // Carnet: a mot to the class, downloaded by a parent.
    director.get("/carnet/nouveau").await;
    let r = director
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &format!("c{}", f.cp)),
                ("title", "Sortie au musée"),
                ("body", "Le plan et une photo."),
            ],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: u64 = r
        .location
        .unwrap()
        .trim_start_matches("/carnet/")
        .trim_end_matches("/suivi")
        .parse()
        .unwrap();
    check_files(
        &mut marc,
        &format!("/carnet/{id}"),
        &format!("/carnet/{id}/pieces/"),
        2,
        "mot du carnet",
    )
    .await;

    // A family's mot, downloaded by the teacher.
    marc.get("/carnet/ecrire").await;
    let r = marc
        .post_multipart(
            "/carnet/ecrire",
            &[
                ("eleve", &f.lou.to_string()),
                ("title", "Certificat"),
                ("body", "Ci-joint."),
            ],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location.unwrap();
    let id = page.trim_start_matches("/carnet/").to_string();
    check_files(
        &mut director,
        &page,
        &format!("/carnet/{id}/pieces/"),
        2,
        "mot d'une famille",
    )
    .await;

    // Médiathèque: the class space, read by a pupil of the class.
    let space = format!("classe-{}", f.cp);
    director.get(&format!("/mediatheque/espace/{space}")).await;
    let r = director
        .post_multipart(
            &format!("/mediatheque/espace/{space}/envoyer"),
            &[],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let listing = director.get(&r.location.unwrap()).await.body;
    let mut media_ids = Vec::new();
    for name in ["sortie.jpg", "plan.png"] {
        let id = id_before(&listing, "/mediatheque/element/", name);
        media_ids.push(id);
        for version in ["", "?version=vignette"] {
            let bytes = download(&lou, &format!("/mediatheque/fichier/{id}{version}")).await;
            assert_clean(&bytes, &format!("médiathèque {name}{version}"));
        }
    }

    // Actualités: one image each.
    for (_, name, bytes) in photos("image") {
        director.get("/actualites/nouvelle").await;
        let r = director
            .post_multipart(
                "/actualites/nouvelle",
                &[
                    ("source", "ecole"),
                    ("title", &format!("Nouvelle {name}")),
                    ("body", "Texte"),
                    ("audience", "tous"),
                ],
                &[("image", name, bytes)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let news = marc.get("/actualites").await.body;
    let images = links(&news, "/actualites/");
    let images: Vec<&String> = images.iter().filter(|l| l.ends_with("/image")).collect();
    assert_eq!(images.len(), 2, "{images:?}");
    for link in images {
        assert_clean(&download(&marc, link).await, &format!("actualité {link}"));
    }

    // Blog: an article of the class blog, uploaded and picked in the médiathèque.
    let blog = format!("classe-{}", f.cp);
    director.get(&format!("/blog/{blog}/ecrire")).await;
    let picked = media_ids[1].to_string();
    let r = director
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Au musée"),
                ("body", "Nos photos."),
                ("action", "publier"),
                ("media", &picked),
            ],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r
        .location
        .unwrap()
        .trim_start_matches("/blog/article/")
        .to_string();
    check_files(
        &mut marc,
        &format!("/blog/article/{id}"),
        &format!("/blog/article/{id}/media/"),
        // The plan picked in the médiathèque is the very picture uploaded: attached once.
        2,
        "blog",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn the_cahier_de_textes_devoirs_classeur_and_exercices_send_photos_without_their_position() {
    let Rig {
        server,
        f,
        mut director,
        mut lou,
        mut marc,
    } = rig().await;
    let cp = f.cp;

    // Cahier de textes: a séance and a work, read by a pupil.
    for (kind, title) in [
        ("seance", "Visite du musée"),
        ("travail", "Légender le plan"),
    ] {
        let path = format!("/cahier-de-textes/nouveau?classe={cp}&type={kind}");
        director.get(&path).await;
        let (given, when) = (day(0), day(1));
        let r = director
            .post_multipart(
                &path,
                &[
                    ("scope", "classe"),
                    ("subject", "Français"),
                    ("title", title),
                    ("given", &given),
                    ("day", &when),
                    ("minutes", "10"),
                    ("body", "Avec les photos."),
                    ("listed", "1"),
                ],
                &photos("files"),
            )
            .await;
        assert_eq!(r.status, 303, "{kind}: {}", r.body);
        let week = director.get(&r.location.unwrap()).await.body;
        let id = id_before(&week, "/cahier-de-textes/", title);
        check_files(
            &mut lou,
            &format!("/cahier-de-textes/{id}"),
            &format!("/cahier-de-textes/{id}/pieces/"),
            2,
            kind,
        )
        .await;
    }

    // Devoirs: the teacher's document, the pupil's hand-in, the teacher's feedback.
    let path = format!("/cahier-de-textes/nouveau?classe={cp}&type=travail&devoir=1");
    director.get(&path).await;
    let (given, when) = (day(0), day(2));
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Exposé"),
                ("given", &given),
                ("day", &when),
                ("body", "Rends tes photos."),
                ("online", "1"),
            ],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: u64 = r
        .location
        .unwrap()
        .trim_start_matches("/devoirs/")
        .parse()
        .unwrap();
    check_files(
        &mut lou,
        &format!("/cahier-de-textes/{id}"),
        &format!("/cahier-de-textes/{id}/pieces/"),
        2,
        "document du devoir",
    )
    .await;
    lou.get(&format!("/devoirs/{id}")).await;
    let r = lou
        .post_multipart(
            &format!("/devoirs/{id}/rendre"),
            &[("text", "Mes photos")],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let files = format!("/devoirs/{id}/eleve/{}/fichier", f.lou);
    check_files(
        &mut director,
        &format!("/devoirs/{id}/eleve/{}", f.lou),
        &files,
        2,
        "rendu vu par l'enseignante",
    )
    .await;
    check_files(
        &mut marc,
        &format!("/devoirs/{id}?eleve={}", f.lou),
        &format!("{files}?v="),
        2,
        "rendu vu par un parent",
    )
    .await;
    let r = director
        .post_multipart(
            &format!("/devoirs/{id}/eleve/{}/retour", f.lou),
            &[("text", "Bravo."), ("action", "corrige")],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    check_files(
        &mut lou,
        &format!("/devoirs/{id}"),
        &format!("{files}?r="),
        2,
        "retour de l'enseignante",
    )
    .await;

    // Classeur.
    director
        .get(&format!("/classeur/nouveau?classe={cp}"))
        .await;
    let r = director
        .post_multipart(
            &format!("/classeur/nouveau?classe={cp}"),
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("period", "2"),
                ("title", "Le musée"),
                ("body", "La leçon."),
            ],
            &photos("files"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location.unwrap();
    check_files(&mut lou, &page, &format!("{page}/pieces/"), 2, "classeur").await;

    // Exercices: one picture per question.
    director
        .get(&format!("/exercices/nouveau?classe={cp}"))
        .await;
    let r = director
        .post(
            &format!("/exercices/nouveau?classe={cp}"),
            &[("scope", "classe"), ("title", "Le musée")],
        )
        .await;
    let edit = r.location.unwrap();
    let id: u64 = edit
        .trim_start_matches("/exercices/")
        .trim_end_matches("/modifier")
        .parse()
        .unwrap();
    for (_, name, bytes) in photos("media") {
        director.get(&edit).await;
        let r = director
            .post_multipart(
                &format!("/exercices/{id}/questions?type=choix"),
                &[
                    ("prompt", "Qu'est-ce ?"),
                    ("option0", "un tableau"),
                    ("option1", "une statue"),
                    ("bonne", "0"),
                ],
                &[("media", name, bytes)],
            )
            .await;
        assert_eq!(r.status, 303, "{name}: {}", r.body);
    }
    director.get(&edit).await;
    director
        .post(&format!("/exercices/{id}/publier"), &[])
        .await;
    check_files(
        &mut lou,
        &format!("/exercices/{id}"),
        &format!("/exercices/{id}/media/"),
        2,
        "exercice",
    )
    .await;
    server.stop().await;
}
