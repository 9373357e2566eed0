use crate::{Db, DbResult, execute, fetch_all};
use chrono::NaiveDate;
use hromada_kernel::WorkingCalendar;
use serde::Serialize;
use sqlx::FromRow;

/// A public holiday, or (with `is_working`) a weekend day declared a working one.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub is_working: bool,
}

pub async fn upsert(db: &Db, day: &CalendarDay) -> DbResult<()> {
    execute!(db, sqlx::query(
        "INSERT INTO public_holidays (day, name_uk, name_en, is_working) VALUES ($1, $2, $3, $4)
         ON CONFLICT (day) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en, is_working = excluded.is_working")
        .bind(day.day).bind(&day.name_uk).bind(&day.name_en).bind(day.is_working))?;
    Ok(())
}

pub async fn list(db: &Db) -> DbResult<Vec<CalendarDay>> {
    Ok(fetch_all!(
        db,
        sqlx::query_as::<_, CalendarDay>("SELECT day, name_uk, name_en, is_working FROM public_holidays ORDER BY day")
    )?)
}

/// The working-day calendar as the installation's data says.
pub async fn calendar(db: &Db) -> DbResult<WorkingCalendar> {
    let days = list(db).await?;
    Ok(WorkingCalendar::new(
        days.iter().filter(|d| !d.is_working).map(|d| d.day),
        days.iter().filter(|d| d.is_working).map(|d| d.day),
    ))
}
