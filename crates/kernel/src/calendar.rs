use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// Which days are working days: weekends and public holidays are not, unless a day was
/// declared a working one. Holidays are data, not code: the rules changed under martial law.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
    working_weekends: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        working_weekends: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        Self { holidays: holidays.into_iter().collect(), working_weekends: working_weekends.into_iter().collect() }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working_weekends.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// A public holiday that is a day off (a day declared a working one is not).
    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.holidays.contains(&day) && !self.working_weekends.contains(&day)
    }

    /// The day on which a term of `n` working days that starts after `from` ends.
    /// With `n == 0` it is `from` itself.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days in `(from, to]`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn skips_weekends_and_holidays() {
        // Friday 2026-12-24, Christmas on Friday the 25th is a holiday.
        let cal = WorkingCalendar::new([d(2026, 12, 25)], []);
        assert_eq!(cal.add_working_days(d(2026, 12, 24), 1), d(2026, 12, 28));
        assert_eq!(cal.add_working_days(d(2026, 12, 24), 2), d(2026, 12, 29));
        assert_eq!(cal.add_working_days(d(2026, 12, 24), 0), d(2026, 12, 24));
    }

    #[test]
    fn a_declared_working_saturday_counts() {
        let cal = WorkingCalendar::new([], [d(2026, 11, 28)]);
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 1), d(2026, 11, 28));
    }

    proptest! {
        #[test]
        fn deadline_lands_on_a_working_day_after_exactly_n(
            start in 0i64..3000, n in 1u32..40, holes in proptest::collection::vec(0i64..3100, 0..40)
        ) {
            let base = d(2024, 1, 1);
            let from = base + chrono::Duration::days(start);
            let cal = WorkingCalendar::new(holes.iter().map(|h| base + chrono::Duration::days(*h)), []);
            let due = cal.add_working_days(from, n);
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due > from);
            prop_assert_eq!(cal.working_days_between(from, due), n);
            prop_assert!(cal.add_working_days(from, n + 1) > due);
        }
    }
}
