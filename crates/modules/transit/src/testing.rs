//! Building GTFS archives from CSV text, for tests, demonstrations and benchmarks.

use std::io::{Cursor, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Writes `(file name, CSV text)` pairs as a deflated zip to `out`.
pub fn write_gtfs_zip<'a, W: Write + Seek, T: AsRef<[u8]> + 'a>(
    out: W,
    files: impl IntoIterator<Item = (&'a str, T)>,
) -> std::io::Result<W> {
    let mut zip = ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).large_file(false);
    for (name, text) in files {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(text.as_ref())?;
    }
    zip.finish().map_err(std::io::Error::other)
}

/// A GTFS zip in memory made of `(file name, CSV text)` pairs.
pub fn gtfs_zip(files: &[(&str, &str)]) -> std::io::Result<Vec<u8>> {
    Ok(write_gtfs_zip(Cursor::new(Vec::new()), files.iter().copied())?.into_inner())
}
