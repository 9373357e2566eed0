//! Integration tests of uploads: the store on every configured backend (SQLite always,
//! PostgreSQL when `HROMADA_TEST_POSTGRES_URL` is set), serving, and multipart forms with CSRF.

mod serve;
mod store;
mod upload;

use chrono::{DateTime, TimeZone, Utc};
use hromada_db::core::communities::Community;
use hromada_db::testing::TestDb;
use hromada_db::{Db, Migration};
use hromada_media::{Accept, Limits, Processed};
use hromada_web::AppState;
use hromada_web::i18n::I18n;
use hromada_web::state::AppStateBuilder;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, Rgb, RgbImage};
use std::sync::Arc;

pub const SECRET: &[u8] = b"test installation secret, at least 32 bytes long";

pub fn migrations() -> Vec<Migration> {
    let mut all = hromada_db::migrate::core_migrations();
    all.extend(hromada_media::migrations());
    all
}

pub async fn each() -> Vec<TestDb> {
    TestDb::each(&migrations()).await
}

/// For tests of request handling, where the backend makes no difference.
pub async fn sqlite() -> TestDb {
    TestDb::sqlite(&migrations()).await
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
}

pub async fn community(db: &Db, slug: &str) -> Community {
    hromada_db::testing::community(db, slug, t0()).await
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = vec![];
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(pixels.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("encode");
    out
}

pub const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\ntrailer << >>\n%%EOF\n";

pub fn photo(width: u32, height: u32) -> Processed {
    hromada_media::process::process(&jpeg(width, height), "фото.jpg", "Сквер", Accept::Images, &Limits::default())
        .expect("process")
}

pub fn document() -> Processed {
    hromada_media::process::process(PDF, "Рішення ради.pdf", "", Accept::Documents, &Limits::default())
        .expect("process")
}

/// The state handlers get, with the shell's and the media translations.
pub fn state(db: &Db) -> AppState {
    let locales = [("shell", hromada_web::shell_locales()), ("media", hromada_media::locales())];
    let i18n = Arc::new(I18n::new(&locales).expect("translations"));
    let templates = hromada_web::templates::Templates::new(&[hromada_web::shell_templates()], None, i18n.clone())
        .expect("templates");
    let config = hromada_web::WebConfig::for_tests(SECRET);
    AppStateBuilder::new(db.clone(), Arc::new(hromada_kernel::SystemClock), config, templates, i18n).build().state
}

#[test]
fn every_message_exists_in_both_languages() {
    let i18n = I18n::new(&[("media", hromada_media::locales())]).expect("media.ftl parses");
    assert_eq!(i18n.missing(), vec![]);
    for e in [
        hromada_media::MediaError::Empty,
        hromada_media::MediaError::TooLarge,
        hromada_media::MediaError::UnknownType,
        hromada_media::MediaError::NotImage,
        hromada_media::MediaError::NotDocument,
        hromada_media::MediaError::TooManyPixels,
        hromada_media::MediaError::Unreadable,
        hromada_media::MediaError::AltTooLong,
    ] {
        assert!(i18n.has(hromada_kernel::Lang::Uk, e.key()), "{}", e.key());
    }
    for key in [
        "media-error-field-too-long",
        "media-error-too-many-files",
        "media-error-total-too-large",
        "media-error-request-too-large",
        "media-error-upload",
    ] {
        assert!(i18n.has(hromada_kernel::Lang::Uk, key), "{key}");
    }
}
