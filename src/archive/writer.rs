//! The ZIP as a stream: the `zip` crate's streaming writer (no seeking back: sizes and
//! checksums go in a data descriptor after each entry) over a [`ChannelWriter`] whose
//! chunks the response body sends as they come. Memory holds one chunk being filled, the
//! few chunks the channel buffers, the compressor's window, and the list of entry names
//! the ZIP's central directory needs at the end — never a file, never the archive.

use std::collections::HashSet;
use std::io::Write;

use bytes::Bytes;
use maud::Markup;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::{Parts, SchoolYear, Scope};
use crate::attachments::Attachment;
use crate::store::{BlobId, Store};

/// Bytes gathered before a chunk goes to the body.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for a slow client before the writer waits too.
pub const CHANNEL_CHUNKS: usize = 4;

/// A `Write` that sends what it is given, by chunks, into a bounded channel: it blocks
/// while the channel is full (the client reads slower than the archive is made), and
/// fails once the receiving side is gone (the client left), which stops the writer.
pub struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    pub fn new(tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>) -> ChannelWriter {
        ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client parti"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = CHUNK - self.buf.len();
        let n = data.len().min(room);
        self.buf
            .extend_from_slice(data.get(..n).unwrap_or_default());
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Pages and text compress; pictures, sounds and PDFs already are: they are stored as
/// they are, which spares the Pi's processor.
fn options(compress: bool, made: zip::DateTime) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        })
        .last_modified_time(made)
}

/// The school's time now, as a ZIP entry's date (the archive's files are dated the day
/// it was made, not 1980).
fn now_in_zip() -> zip::DateTime {
    let now = jiff::Timestamp::now().to_zoned_datetime(crate::ui::dates::school_tz());
    let part = |v: i8| u8::try_from(v).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        u16::try_from(now.year()).unwrap_or(1980),
        part(now.month()),
        part(now.day()),
        part(now.hour()),
        part(now.minute()),
        part(now.second()),
    )
    .unwrap_or_default()
}

/// Where the ZIP goes: the response's channel, or a file. One type, so that the `zip`
/// crate's writer and the parts are compiled once in the binary, not once per output.
pub type Out = Box<dyn Write + Send>;

/// The archive being written: entries under one root folder.
pub(super) struct Writer<'a> {
    zip: ZipWriter<StreamWriter<Out>>,
    pub(super) store: &'a Store,
    runtime: &'a tokio::runtime::Handle,
    root: String,
    written: HashSet<String>,
    made: zip::DateTime,
}

impl Writer<'_> {
    /// Writes a page (or any text) at `path` under the root.
    pub(super) fn page(&mut self, path: &str, markup: Markup) -> anyhow::Result<()> {
        self.text(path, markup.into_string().as_bytes())
    }

    pub(super) fn text(&mut self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.start(path, true)?;
        self.zip.write_all(bytes)?;
        Ok(())
    }

    /// Starts an entry whose content the caller writes piece by piece ([`Writer::more`]).
    pub(super) fn start(&mut self, path: &str, compress: bool) -> anyhow::Result<()> {
        self.zip
            .start_file(format!("{}{path}", self.root), options(compress, self.made))?;
        self.written.insert(path.to_string());
        Ok(())
    }

    pub(super) fn more(&mut self, markup: Markup) -> anyhow::Result<()> {
        self.zip.write_all(markup.into_string().as_bytes())?;
        Ok(())
    }

    /// Copies the published version of a file (web size and no EXIF for a picture, the
    /// file itself otherwise) into `folder`, as a stream from its blob, named `stem` with
    /// the extension of what is sent (a PNG photo may leave as a JPEG). Gives the name, or
    /// `None` when the blob cannot be read (the page then says the file is missing).
    pub(super) fn file(
        &mut self,
        folder: &str,
        stem: &str,
        original: &Attachment,
    ) -> anyhow::Result<Option<String>> {
        let sent = self
            .runtime
            .block_on(crate::media::images::published(self.store, original));
        let name = format!("{stem}.{}", extension(&sent.mime, &original.name));
        let path = format!("{folder}{name}");
        if self.written.contains(&path) {
            return Ok(Some(name));
        }
        let source = BlobId::parse(&sent.blob)
            .and_then(|id| std::fs::File::open(self.store.blobs().path(&id)).ok());
        let Some(mut source) = source else {
            return Ok(None);
        };
        let compress = sent.mime.starts_with("text/") || sent.mime.ends_with("+xml");
        self.start(&path, compress)?;
        std::io::copy(&mut source, &mut self.zip)?;
        Ok(Some(name))
    }
}

/// The extension a file leaves with: the one of its type when it is a known one, else the
/// one of its name (letters and digits only), else « bin ».
fn extension(mime: &str, name: &str) -> String {
    let known = match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/webm" | "video/webm" => "webm",
        "video/mp4" => "mp4",
        "text/plain" => "txt",
        _ => "",
    };
    if !known.is_empty() {
        return known.into();
    }
    let ext: String = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
        ext
    } else {
        "bin".into()
    }
}

/// Writes the whole archive of `scope` for `year` into `out`, flushed once the ZIP is
/// complete. `runtime` runs the publishing step, which is async:
/// this is called on a blocking task.
pub fn write(
    store: &Store,
    scope: Scope,
    year: SchoolYear,
    runtime: &tokio::runtime::Handle,
    out: Out,
) -> anyhow::Result<()> {
    let root = super::file_name(store, scope, year)?
        .trim_end_matches(".zip")
        .to_string();
    let mut w = Writer {
        zip: ZipWriter::new_stream(out),
        store,
        runtime,
        root: format!("{root}/"),
        written: HashSet::new(),
        made: now_in_zip(),
    };
    let parts = Parts::of(store)?;
    super::parts::archive(&mut w, scope, year, parts)?;
    let mut out = w.zip.finish()?.into_inner();
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_sends_whole_chunks_and_stops_when_the_client_leaves() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(CHANNEL_CHUNKS);
        let mut w = ChannelWriter::new(tx);
        w.write_all(&vec![7u8; CHUNK + 10]).unwrap();
        assert_eq!(
            rx.try_recv().unwrap().unwrap().len(),
            CHUNK,
            "a full chunk goes"
        );
        assert!(rx.try_recv().is_err(), "the rest waits for more");
        w.flush().unwrap();
        assert_eq!(rx.try_recv().unwrap().unwrap().len(), 10);
        drop(rx);
        w.write_all(&[1; 10]).unwrap();
        assert_eq!(
            w.flush().unwrap_err().kind(),
            std::io::ErrorKind::BrokenPipe
        );
    }

    #[test]
    fn a_file_leaves_with_the_extension_of_what_is_sent() {
        assert_eq!(extension("image/jpeg", "photo.PNG"), "jpg");
        assert_eq!(
            extension("application/vnd.oasis.opendocument.text", "Fiche.ODT"),
            "odt"
        );
        assert_eq!(extension("application/x-what", "a.b/../../c"), "bin");
        assert_eq!(extension("application/x-what", "sans"), "bin");
    }
}
