//! Checking and re-encoding uploads, without I/O. The type comes from the bytes, never from the
//! name or the browser; images are decoded within size and pixel limits and encoded afresh, so
//! EXIF (GPS position, device) and every other metadata block stays behind; PDFs are kept as sent.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// What a file is to the reader: a picture shown on the page, or a document to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Image,
    Document,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Document => "document",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        [Kind::Image, Kind::Document].into_iter().find(|k| k.code() == code)
    }
}

/// Which kinds an upload field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    Images,
    Documents,
    Any,
}

impl Accept {
    pub fn allows(self, kind: Kind) -> bool {
        match self {
            Accept::Images => kind == Kind::Image,
            Accept::Documents => kind == Kind::Document,
            Accept::Any => true,
        }
    }

    /// The error that tells the person what this field takes.
    fn refusal(self) -> MediaError {
        match self {
            Accept::Images => MediaError::NotImage,
            Accept::Documents => MediaError::NotDocument,
            Accept::Any => MediaError::UnknownType,
        }
    }
}

/// A file type recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Pdf,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Pdf => "pdf",
        }
    }

    pub fn kind(self) -> Kind {
        if self == Format::Pdf { Kind::Document } else { Kind::Image }
    }

    fn image_format(self) -> Option<ImageFormat> {
        match self {
            Format::Jpeg => Some(ImageFormat::Jpeg),
            Format::Png => Some(ImageFormat::Png),
            Format::WebP => Some(ImageFormat::WebP),
            Format::Pdf => None,
        }
    }
}

/// The real type of a file, from its signature.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else if bytes.starts_with(b"%PDF-") {
        Some(Format::Pdf)
    } else {
        None
    }
}

/// The sizes a file is kept in. Documents have only the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    Thumb,
    Display,
    Original,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Original, Variant::Display, Variant::Thumb];

    pub fn code(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Display => "display",
            Variant::Thumb => "thumb",
        }
    }

    pub fn parse(code: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Smallest first; a missing smaller variant is served by the next larger one.
    pub(crate) fn rank(self) -> i64 {
        self as i64
    }
}

/// How much an upload may be. The defaults fit phone photos and scanned documents.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_image_bytes: usize,
    pub max_document_bytes: usize,
    /// Width × height before decoding: a small file can declare a huge picture, and decoding it
    /// would take gigabytes of memory.
    pub max_pixels: u64,
    /// The longest side, for the same reason.
    pub max_side: u32,
    /// The longest side of the variant shown on pages.
    pub display_side: u32,
    /// The longest side of the thumbnail in lists.
    pub thumb_side: u32,
    pub max_alt_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_image_bytes: 15 * 1024 * 1024,
            max_document_bytes: 20 * 1024 * 1024,
            max_pixels: 40_000_000,
            max_side: 12_000,
            display_side: 1600,
            thumb_side: 400,
            max_alt_chars: 1000,
        }
    }
}

/// Why an upload was refused; [`MediaError::key`] is the message for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large")]
    TooLarge,
    #[error("the file type is not accepted")]
    UnknownType,
    #[error("the file is not an image")]
    NotImage,
    #[error("the file is not a PDF document")]
    NotDocument,
    #[error("the image has too many pixels")]
    TooManyPixels,
    #[error("the file cannot be read")]
    Unreadable,
    #[error("the text alternative is too long")]
    AltTooLong,
}

impl MediaError {
    /// Translation key (in `media.ftl`).
    pub fn key(self) -> &'static str {
        match self {
            MediaError::Empty => "media-error-empty",
            MediaError::TooLarge => "media-error-too-large",
            MediaError::UnknownType => "media-error-type",
            MediaError::NotImage => "media-error-not-image",
            MediaError::NotDocument => "media-error-not-document",
            MediaError::TooManyPixels => "media-error-too-many-pixels",
            MediaError::Unreadable => "media-error-unreadable",
            MediaError::AltTooLong => "media-error-alt-too-long",
        }
    }
}

/// One stored form of a file.
#[derive(Debug, Clone)]
pub struct Rendition {
    pub variant: Variant,
    pub format: Format,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub data: Vec<u8>,
    /// Hex SHA-256 of `data`; the HTTP ETag.
    pub sha256: String,
}

impl Rendition {
    fn new(variant: Variant, format: Format, size: Option<(u32, u32)>, data: Vec<u8>) -> Self {
        let sha256 = hex::encode(Sha256::digest(&data));
        Self { variant, format, width: size.map(|s| s.0), height: size.map(|s| s.1), data, sha256 }
    }

    pub fn content_type(&self) -> &'static str {
        self.format.content_type()
    }
}

/// An upload that passed the checks, ready to store.
#[derive(Debug, Clone)]
pub struct Processed {
    pub kind: Kind,
    /// Safe to show and to send back, with the extension of the stored type.
    pub file_name: String,
    pub alt_text: Option<String>,
    /// The original first, then the smaller variants an image needed.
    pub renditions: Vec<Rendition>,
}

impl Processed {
    pub fn original(&self) -> &Rendition {
        &self.renditions[0]
    }
}

const ORIGINAL_QUALITY: u8 = 90;
const SMALLER_QUALITY: u8 = 82;

/// Checks an upload and prepares what is stored: CPU-heavy for photos, so handlers call it
/// through [`crate::Upload::process`], which runs it on a blocking thread.
pub fn process(
    bytes: &[u8],
    file_name: &str,
    alt_text: &str,
    accept: Accept,
    limits: &Limits,
) -> Result<Processed, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    let alt_text = alt_text.trim();
    if alt_text.chars().count() > limits.max_alt_chars {
        return Err(MediaError::AltTooLong);
    }
    let format = sniff(bytes).ok_or(accept.refusal())?;
    let kind = format.kind();
    if !accept.allows(kind) {
        return Err(accept.refusal());
    }
    let max_bytes = match kind {
        Kind::Image => limits.max_image_bytes,
        Kind::Document => limits.max_document_bytes,
    };
    if bytes.len() > max_bytes {
        return Err(MediaError::TooLarge);
    }
    let renditions = match format.image_format() {
        Some(image_format) => image_renditions(bytes, image_format, format, limits)?,
        None => vec![Rendition::new(Variant::Original, format, None, bytes.to_vec())],
    };
    Ok(Processed {
        kind,
        file_name: sanitize_file_name(file_name, renditions[0].format),
        alt_text: (!alt_text.is_empty()).then(|| alt_text.to_owned()),
        renditions,
    })
}

fn image_renditions(
    bytes: &[u8],
    image_format: ImageFormat,
    format: Format,
    limits: &Limits,
) -> Result<Vec<Rendition>, MediaError> {
    let image = decode(bytes, image_format, limits)?;
    let alpha = image.color().has_alpha();
    // Only lossless WebP can be written here, which would bloat photos; so WebP becomes JPEG,
    // or PNG where it is transparent. Smaller variants are JPEG unless transparency needs PNG.
    let original = if format == Format::Png || alpha { Format::Png } else { Format::Jpeg };
    let smaller = if alpha { Format::Png } else { Format::Jpeg };
    let mut out = vec![encode(&image, Variant::Original, original, ORIGINAL_QUALITY)?];
    let display = shrink(&image, limits.display_side);
    if let Some(display) = &display {
        out.push(encode(display, Variant::Display, smaller, SMALLER_QUALITY)?);
    }
    if let Some(thumb) = shrink(display.as_ref().unwrap_or(&image), limits.thumb_side) {
        out.push(encode(&thumb, Variant::Thumb, smaller, SMALLER_QUALITY)?);
    }
    Ok(out)
}

fn decode(bytes: &[u8], format: ImageFormat, limits: &Limits) -> Result<DynamicImage, MediaError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    reader.limits(decoder_limits);
    // The header alone gives the dimensions: refuse before any pixel is allocated.
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(MediaError::TooManyPixels);
    }
    // Phones record which way is up in EXIF; turn the pixels now, as EXIF will not be kept.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn refusal(e: ImageError) -> MediaError {
    match e {
        ImageError::Limits(_) => MediaError::TooManyPixels,
        _ => MediaError::Unreadable,
    }
}

/// A copy no longer than `side` on either side, or `None` when the image is small enough.
fn shrink(image: &DynamicImage, side: u32) -> Option<DynamicImage> {
    (image.width().max(image.height()) > side).then(|| image.resize(side, side, FilterType::Lanczos3))
}

/// Writes plain pixels: the encoders are given no EXIF, ICC or text chunks.
fn encode(image: &DynamicImage, variant: Variant, format: Format, quality: u8) -> Result<Rendition, MediaError> {
    let mut data = Vec::new();
    let written = match format {
        Format::Jpeg => image.to_rgb8().write_with_encoder(JpegEncoder::new_with_quality(&mut data, quality)),
        _ if image.color().has_alpha() => image.to_rgba8().write_with_encoder(PngEncoder::new(&mut data)),
        _ => image.to_rgb8().write_with_encoder(PngEncoder::new(&mut data)),
    };
    written.map_err(|e| {
        tracing::warn!(error = %e, "re-encoding an image failed");
        MediaError::Unreadable
    })?;
    Ok(Rendition::new(variant, format, Some((image.width(), image.height())), data))
}

/// A file name safe to store, show and send back: no folders, no control or direction-changing
/// characters, no quotes, at most 100 characters, ending in the extension of the stored type.
pub fn sanitize_file_name(raw: &str, format: Format) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem,
        _ => base,
    };
    let mut clean = String::new();
    for c in stem.chars() {
        let c = match c {
            c if c.is_whitespace() => ' ',
            c if c.is_control() || is_invisible(c) => continue,
            '"' | '\'' | '<' | '>' | ':' | '*' | '?' | '|' | ';' | '%' => '_',
            c => c,
        };
        if !(c == ' ' && clean.ends_with(' ')) {
            clean.push(c);
        }
    }
    let clean: String = clean.trim_matches(|c: char| c == ' ' || c == '.').chars().take(100).collect();
    let stem = clean.trim_end_matches([' ', '.']);
    let stem = if stem.is_empty() { "file" } else { stem };
    format!("{stem}.{}", format.extension())
}

/// Bidirectional overrides and zero-width characters, which can disguise an extension.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

    fn jpeg(width: u32, height: u32, exif: Option<Vec<u8>>) -> Vec<u8> {
        let pixels = RgbImage::from_fn(width, height, |x, y| Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
        let mut out = vec![];
        let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
        if let Some(exif) = exif {
            encoder.set_exif_metadata(exif).unwrap();
        }
        encoder.write_image(pixels.as_raw(), width, height, image::ExtendedColorType::Rgb8).unwrap();
        out
    }

    fn png_rgba(width: u32, height: u32) -> Vec<u8> {
        let pixels = RgbaImage::from_fn(width, height, |x, _| Rgba([200, 10, 10, (x % 256) as u8]));
        let mut out = vec![];
        PngEncoder::new(&mut out).write_image(pixels.as_raw(), width, height, image::ExtendedColorType::Rgba8).unwrap();
        out
    }

    fn webp(width: u32, height: u32) -> Vec<u8> {
        let pixels = RgbImage::from_fn(width, height, |x, y| Rgb([x as u8, y as u8, 0]));
        let mut out = vec![];
        image::codecs::webp::WebPEncoder::new_lossless(&mut out)
            .write_image(pixels.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

    /// A little-endian TIFF block as phones write it: orientation "turn 90° clockwise" in IFD0
    /// and a GPS sub-IFD with latitude 50°27′N, longitude 30°31′E (Kyiv).
    fn exif_with_gps() -> Vec<u8> {
        fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32) {
            out.extend(tag.to_le_bytes());
            out.extend(kind.to_le_bytes());
            out.extend(count.to_le_bytes());
            out.extend(value.to_le_bytes());
        }
        const ASCII: u16 = 2;
        const SHORT: u16 = 3;
        const LONG: u16 = 4;
        const RATIONAL: u16 = 5;
        let mut t = b"II*\0".to_vec();
        t.extend(8u32.to_le_bytes());
        // IFD0 at 8: two entries (2 + 2×12 + 4 = 30 bytes), the GPS IFD follows at 38.
        t.extend(2u16.to_le_bytes());
        entry(&mut t, 0x0112, SHORT, 1, 6);
        entry(&mut t, 0x8825, LONG, 1, 38);
        t.extend(0u32.to_le_bytes());
        // GPS IFD at 38: four entries (2 + 4×12 + 4 = 54 bytes), the rationals follow at 92.
        t.extend(4u16.to_le_bytes());
        entry(&mut t, 0x0001, ASCII, 2, u32::from_le_bytes(*b"N\0\0\0"));
        entry(&mut t, 0x0002, RATIONAL, 3, 92);
        entry(&mut t, 0x0003, ASCII, 2, u32::from_le_bytes(*b"E\0\0\0"));
        entry(&mut t, 0x0004, RATIONAL, 3, 116);
        t.extend(0u32.to_le_bytes());
        assert_eq!(t.len(), 92);
        for (n, d) in [(50, 1), (27, 1), (0, 1), (30, 1), (31, 1), (0, 1)] {
            t.extend(u32::to_le_bytes(n));
            t.extend(u32::to_le_bytes(d));
        }
        t
    }

    fn exif_of(bytes: &[u8]) -> Option<Vec<u8>> {
        let mut decoder = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Jpeg).into_decoder().unwrap();
        decoder.exif_metadata().unwrap()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn the_type_comes_from_the_bytes_not_the_name() {
        assert_eq!(sniff(&jpeg(4, 4, None)), Some(Format::Jpeg));
        assert_eq!(sniff(&png_rgba(4, 4)), Some(Format::Png));
        assert_eq!(sniff(&webp(4, 4)), Some(Format::WebP));
        assert_eq!(sniff(PDF), Some(Format::Pdf));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), None);

        let limits = Limits::default();
        let png = process(&png_rgba(4, 4), "scan.pdf", "", Accept::Any, &limits).unwrap();
        assert_eq!((png.kind, png.file_name.as_str()), (Kind::Image, "scan.png"));
        let html = b"<svg onload=alert(1)>";
        assert_eq!(process(html, "photo.jpg", "", Accept::Images, &limits).unwrap_err(), MediaError::NotImage);
        assert_eq!(process(html, "a.pdf", "", Accept::Documents, &limits).unwrap_err(), MediaError::NotDocument);
        assert_eq!(process(html, "a.png", "", Accept::Any, &limits).unwrap_err(), MediaError::UnknownType);
    }

    #[test]
    fn each_field_takes_only_its_kinds() {
        let limits = Limits::default();
        assert_eq!(process(PDF, "a.pdf", "", Accept::Images, &limits).unwrap_err(), MediaError::NotImage);
        let photo = jpeg(8, 8, None);
        assert_eq!(process(&photo, "a.jpg", "", Accept::Documents, &limits).unwrap_err(), MediaError::NotDocument);
        assert_eq!(process(b"", "a.jpg", "", Accept::Any, &limits).unwrap_err(), MediaError::Empty);
    }

    #[test]
    fn a_pdf_is_kept_byte_for_byte() {
        let doc = process(PDF, "Рішення №5.PDF", "alt", Accept::Documents, &Limits::default()).unwrap();
        assert_eq!(doc.kind, Kind::Document);
        assert_eq!(doc.file_name, "Рішення №5.pdf");
        assert_eq!(doc.renditions.len(), 1);
        assert_eq!(doc.original().data, PDF);
        assert_eq!(doc.original().content_type(), "application/pdf");
        assert_eq!(doc.original().sha256, hex::encode(Sha256::digest(PDF)));
        assert_eq!(doc.original().width, None);
    }

    #[test]
    fn size_limits_depend_on_the_kind() {
        let photo = jpeg(16, 16, None);
        let limits = Limits { max_image_bytes: photo.len() - 1, max_document_bytes: PDF.len(), ..Limits::default() };
        assert_eq!(process(&photo, "a.jpg", "", Accept::Any, &limits).unwrap_err(), MediaError::TooLarge);
        assert!(process(PDF, "a.pdf", "", Accept::Any, &limits).is_ok());
        let limits = Limits { max_document_bytes: PDF.len() - 1, ..Limits::default() };
        assert_eq!(process(PDF, "a.pdf", "", Accept::Any, &limits).unwrap_err(), MediaError::TooLarge);
    }

    #[test]
    fn pixel_limits_stop_decompression_bombs_before_decoding() {
        let limits = Limits { max_pixels: 99, ..Limits::default() };
        assert_eq!(
            process(&jpeg(10, 10, None), "a.jpg", "", Accept::Any, &limits).unwrap_err(),
            MediaError::TooManyPixels
        );

        // A 70-byte PNG that declares 100 000 × 100 000 pixels (40 GB as RGBA).
        let mut bomb = png_rgba(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        let limits = Limits::default();
        assert_eq!(process(&bomb, "a.png", "", Accept::Any, &limits).unwrap_err(), MediaError::TooManyPixels);
        let wide = Limits { max_side: u32::MAX, ..limits };
        assert_eq!(process(&bomb, "a.png", "", Accept::Any, &wide).unwrap_err(), MediaError::TooManyPixels);

        let broken = b"\xFF\xD8\xFF\xE0 not really a JPEG";
        assert_eq!(process(broken, "a.jpg", "", Accept::Any, &Limits::default()).unwrap_err(), MediaError::Unreadable);
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn re_encoding_drops_exif_and_gps_but_keeps_which_way_is_up() {
        let input = jpeg(40, 20, Some(exif_with_gps()));
        let exif = exif_of(&input).expect("the test photo carries EXIF");
        assert!(contains(&exif, &0x8825u16.to_le_bytes()), "with a GPS block");
        assert!(contains(&input, b"Exif\0\0"));

        let limits = Limits { display_side: 30, thumb_side: 10, ..Limits::default() };
        let out = process(&input, "IMG_0001.JPG", "  Яма на дорозі  ", Accept::Images, &limits).unwrap();
        assert_eq!(out.alt_text.as_deref(), Some("Яма на дорозі"));
        assert_eq!(out.file_name, "IMG_0001.jpg");
        let variants: Vec<_> = out.renditions.iter().map(|r| (r.variant, r.width, r.height)).collect();
        // EXIF said "turn 90° clockwise": 40 × 20 is stored upright as 20 × 40.
        assert_eq!(
            variants,
            [
                (Variant::Original, Some(20), Some(40)),
                (Variant::Display, Some(15), Some(30)),
                (Variant::Thumb, Some(5), Some(10))
            ]
        );
        for r in &out.renditions {
            assert_eq!(r.format, Format::Jpeg);
            assert_eq!(exif_of(&r.data), None, "{:?} has no EXIF", r.variant);
            assert!(!contains(&r.data, b"Exif"), "{:?} has no EXIF block", r.variant);
            assert!(!contains(&r.data, &[0xFF, 0xE1]), "{:?} has no APP1 segment", r.variant);
            assert_eq!(r.sha256, hex::encode(Sha256::digest(&r.data)));
        }
    }

    #[test]
    fn small_images_need_no_smaller_variants() {
        let out = process(&jpeg(300, 200, None), "a.jpg", "", Accept::Images, &Limits::default()).unwrap();
        assert_eq!(out.renditions.len(), 1);
        let out = process(&jpeg(1000, 500, None), "a.jpg", "", Accept::Images, &Limits::default()).unwrap();
        let sizes: Vec<_> = out.renditions.iter().map(|r| (r.variant, r.width, r.height)).collect();
        assert_eq!(sizes, [(Variant::Original, Some(1000), Some(500)), (Variant::Thumb, Some(400), Some(200))]);
    }

    #[test]
    fn transparency_stays_png_and_webp_becomes_jpeg() {
        let limits = Limits { display_side: 8, thumb_side: 4, ..Limits::default() };
        let out = process(&png_rgba(16, 16), "logo.png", "", Accept::Images, &limits).unwrap();
        assert!(out.renditions.iter().all(|r| r.format == Format::Png && sniff(&r.data) == Some(Format::Png)));
        let out = process(&webp(16, 16), "photo.webp", "", Accept::Images, &limits).unwrap();
        assert_eq!(out.file_name, "photo.jpg");
        assert!(out.renditions.iter().all(|r| r.format == Format::Jpeg && sniff(&r.data) == Some(Format::Jpeg)));
    }

    #[test]
    fn alt_text_has_a_limit() {
        let limits = Limits { max_alt_chars: 5, ..Limits::default() };
        let photo = jpeg(4, 4, None);
        assert_eq!(process(&photo, "a.jpg", "шість!", Accept::Any, &limits).unwrap_err(), MediaError::AltTooLong);
        assert_eq!(
            process(&photo, "a.jpg", " п'ять ", Accept::Any, &limits).unwrap().alt_text.as_deref(),
            Some("п'ять")
        );
        assert_eq!(process(&photo, "a.jpg", "   ", Accept::Any, &limits).unwrap().alt_text, None);
    }

    #[test]
    fn file_names_are_made_safe() {
        let cases = [
            ("../../etc/passwd.jpg", Format::Jpeg, "passwd.jpg"),
            ("C:\\Users\\Оля\\Фото 1.JPEG", Format::Jpeg, "Фото 1.jpg"),
            ("invoice\u{202E}gpj.exe", Format::Pdf, "invoicegpj.pdf"),
            ("a\"b<c>\n\r.pdf", Format::Pdf, "a_b_c_.pdf"),
            ("   ", Format::Png, "file.png"),
            (".png", Format::Png, "png.png"),
            ("...", Format::Png, "file.png"),
            ("many   spaces\tand\u{0}nul.png", Format::Png, "many spaces andnul.png"),
            ("archive.tar.gz", Format::Pdf, "archive.tar.pdf"),
        ];
        for (raw, format, want) in cases {
            assert_eq!(sanitize_file_name(raw, format), want, "{raw:?}");
        }
        let long = "я".repeat(300);
        assert_eq!(sanitize_file_name(&long, Format::Pdf).chars().count(), 104);
    }
}
