//! The archive on disk: entries written one by one with the `zip` crate into
//! `<id>.zip.part`, files copied from their blobs as streams, then synced and renamed to
//! `<id>.zip`; memory holds one record at a time, never the archive. Entry names are made
//! by the archive (part names, ids, cleaned names), never taken from a form.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use maud::{html, Markup, DOCTYPE};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::records::{FileOut, Record};
use super::{Export, State};
use crate::store::{BlobId, Store};

pub fn part_file(store: &Store, id: u64) -> PathBuf {
    store
        .data_dir()
        .join(super::FOLDER)
        .join(format!("{id}.zip.part"))
}

/// A name fit for a path inside the archive: letters, digits, `-`, `_` and `.` only
/// (accents dropped), no leading dot, at most 60 characters.
pub fn clean(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_start_matches(['.', '_']).to_string();
    if out.is_empty() {
        "sans-nom".into()
    } else {
        out
    }
}

fn fold(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'À' | 'Â' | 'Ä' | 'Á' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'î' | 'ï' | 'í' => 'i',
        'Î' | 'Ï' => 'I',
        'ô' | 'ö' | 'ó' => 'o',
        'Ô' | 'Ö' => 'O',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'Ù' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ÿ' => 'y',
        other => other,
    }
}

/// One part as gathered: where it goes, its title, and its records loaded one at a time.
pub struct Part<'a, T> {
    /// The file name without extension (`messages`, `enfant-12-lou-carnet`).
    pub name: String,
    pub title: String,
    pub count: usize,
    pub load: Box<dyn Fn(usize) -> crate::store::Result<Option<T>> + 'a>,
}

/// The archive being written.
pub struct Archive<'a> {
    zip: ZipWriter<BufWriter<File>>,
    store: &'a Store,
    runtime: &'a tokio::runtime::Handle,
    /// Paths of files already in the archive (a file shared by two records goes once),
    /// and of those that could not be read.
    written: HashSet<String>,
    missing: HashSet<String>,
    /// Whether any file went into the « fichiers » folder (the index mentions it only then).
    files_written: bool,
    /// The index: (file name, title, records).
    index: Vec<(String, String, usize)>,
    pub subject_name: String,
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true)
}

impl<'a> Archive<'a> {
    /// Writes one part: its files, then its JSON (an array, record by record), then its
    /// HTML page.
    pub fn part<T: Record>(&mut self, part: Part<'_, T>) -> anyhow::Result<()> {
        for i in 0..part.count {
            if let Some(r) = (part.load)(i)? {
                for f in r.files() {
                    self.copy(f)?;
                }
            }
        }
        self.zip
            .start_file(format!("{}.json", part.name), options())?;
        self.zip.write_all(b"[")?;
        let mut first = true;
        for i in 0..part.count {
            if let Some(r) = (part.load)(i)? {
                self.zip.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut self.zip, &r)?;
                first = false;
            }
        }
        self.zip.write_all(b"\n]\n")?;
        self.zip
            .start_file(format!("{}.html", part.name), options())?;
        let (head, tail) = document(&part.title, &self.subject_name);
        self.zip.write_all(head.as_bytes())?;
        let mut n = 0;
        for i in 0..part.count {
            if let Some(r) = (part.load)(i)? {
                self.zip
                    .write_all(r.html(&self.missing).into_string().as_bytes())?;
                n += 1;
            }
        }
        if n == 0 {
            self.zip.write_all(b"<p>Rien.</p>")?;
        }
        self.zip.write_all(tail.as_bytes())?;
        self.index.push((part.name, part.title, n));
        Ok(())
    }

    /// Copies a file from its blob, as a stream; someone else's through the publishing
    /// step (a photo leaves without its EXIF, as it would in the application).
    fn copy(&mut self, f: &FileOut) -> anyhow::Result<()> {
        if !self.written.insert(f.path.clone()) {
            return Ok(());
        }
        let blob = if f.own {
            f.blob.clone()
        } else {
            let a = crate::attachments::Attachment {
                blob: f.blob.clone(),
                name: f.name.clone(),
                mime: f.mime.clone(),
                size: f.size,
            };
            self.runtime
                .block_on(crate::media::images::published(self.store, &a))
                .blob
        };
        let source =
            BlobId::parse(&blob).and_then(|id| File::open(self.store.blobs().path(&id)).ok());
        let Some(mut source) = source else {
            self.missing.insert(f.path.clone());
            return Ok(());
        };
        self.zip.start_file(f.path.clone(), options())?;
        std::io::copy(&mut source, &mut self.zip)?;
        self.files_written = true;
        Ok(())
    }
}

/// The head and tail of a page of the archive.
fn document(title: &str, who: &str) -> (String, String) {
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content=(VIEWPORT);
                title { (title) " — " (who) }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                p.nav { a href="index.html" { "← Sommaire" } }
                h1 { (title) }
                p.meta { "Données de " (who) ", extraites de Préau." }
                main { "\u{0}" }
            }
        }
    }
    .into_string();
    match page.split_once('\u{0}') {
        Some((h, t)) => (h.to_string(), t.to_string()),
        None => (page, String::new()),
    }
}

/// Without it a phone lays the page out 980 px wide and shrinks it.
const VIEWPORT: &str = "width=device-width, initial-scale=1";

/// Readable on a phone (long logins and links wrap) and on paper (full width, black
/// text, no record cut across two sheets when it fits on one, no « Sommaire » link).
const STYLE: &str = "body{font-family:sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem;line-height:1.4;overflow-wrap:anywhere}\
article{border-top:1px solid #ccc;padding:.5rem 0}.meta{color:#555;font-size:.9em}\
.text{white-space:pre-wrap}dt{font-weight:bold}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem}\
img{max-width:100%;height:auto}\
@media print{body{max-width:none;margin:0;padding:0;font-size:11pt;color:#000}.meta{color:#333}\
a{color:inherit}article{break-inside:avoid}h1,h2,h3{break-after:avoid}.nav{display:none}}";

/// Writes the whole archive of `export`: the parts `fill` gives, the index, then the file
/// is synced and renamed; the export's record follows the progress.
pub fn write(
    store: &Store,
    export: &Export,
    runtime: &tokio::runtime::Handle,
) -> anyhow::Result<()> {
    // Replaced by a newer request while it waited for its turn: nothing to write.
    if super::get(store, export.id)?.is_none() {
        return Ok(());
    }
    std::fs::create_dir_all(store.data_dir().join(super::FOLDER))?;
    let tmp = part_file(store, export.id);
    let file = File::create(&tmp)?;
    let mut archive = Archive {
        zip: ZipWriter::new(BufWriter::new(file)),
        store,
        runtime,
        written: HashSet::new(),
        missing: HashSet::new(),
        files_written: false,
        index: Vec::new(),
        subject_name: String::new(),
    };
    let progress = |percent: u8| {
        super::set_state(
            store,
            export.id,
            State::Preparing { percent },
            crate::auth::now_micros(),
        )
    };
    super::gather::fill(&mut archive, store, export.subject, &progress)?;
    archive.zip.start_file("index.html", options())?;
    let index = index_page(
        &archive.subject_name,
        &archive.index,
        archive.files_written,
        export.requested_at,
    );
    archive.zip.write_all(index.into_string().as_bytes())?;
    let file = archive
        .zip
        .finish()?
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
    file.sync_all()?;
    let size = file.metadata()?.len();
    drop(file);
    let dest = super::file(store, export.id);
    std::fs::rename(&tmp, &dest)?;
    if let Ok(dir) = File::open(store.data_dir().join(super::FOLDER)) {
        let _ = dir.sync_all();
    }
    super::set_state(
        store,
        export.id,
        State::Ready { size },
        crate::auth::now_micros(),
    )?;
    Ok(())
}

fn index_page(who: &str, parts: &[(String, String, usize)], files: bool, at: i64) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content=(VIEWPORT);
                title { "Mes données — " (who) }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                h1 { "Mes données — " (who) }
                p { "Ce que Préau, l'espace numérique de l'école, conserve à votre sujet, demandé le " (crate::ui::dates::long_datetime(at)) "." }
                p {
                    "Chaque partie existe en deux versions : une page à lire (HTML) et un fichier de données (JSON) à réutiliser dans un autre service."
                    @if files { " Les fichiers joints sont dans le dossier « fichiers »." }
                }
                ul {
                    @for (name, title, n) in parts {
                        li { a href=(format!("{name}.html")) { (title) } " (" (n) ") — " a href=(format!("{name}.json")) { "données JSON" } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_inside_the_archive_carry_no_path() {
        assert_eq!(clean("../../etc/passwd"), "etc_passwd");
        assert_eq!(clean("Sortie au musée.pdf"), "Sortie_au_musee.pdf");
        assert_eq!(clean("C:\\Windows\\x.exe"), "C_Windows_x.exe");
        assert_eq!(clean(".."), "sans-nom");
        assert_eq!(clean(""), "sans-nom");
        assert!(clean(&"a".repeat(500)).len() <= 60);
        for raw in ["a/../b", "/abs", "x\0y", "ü/ö"] {
            let c = clean(raw);
            assert!(
                !c.contains('/') && !c.contains('\\') && !c.starts_with('.'),
                "{c}"
            );
        }
    }

    #[test]
    fn a_page_is_cut_around_its_records() {
        let (head, tail) = document("Mes messages", "Marc <Petit>");
        assert!(head.contains("Marc &lt;Petit&gt;") && head.ends_with("<main>"));
        assert!(tail.starts_with("</main>"));
        assert!(head
            .contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#));
    }

    #[test]
    fn the_index_mentions_the_files_folder_only_when_there_is_one() {
        let parts = vec![("profil".to_string(), "Mon profil".to_string(), 1)];
        let without = index_page("Marc Petit", &parts, false, 0).into_string();
        let with = index_page("Marc Petit", &parts, true, 0).into_string();
        assert!(!without.contains("dossier « fichiers »"));
        assert!(with.contains("dossier « fichiers »"));
        assert!(without.contains(r#"name="viewport""#));
    }
}
