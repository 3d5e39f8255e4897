//! The one place Keyholder asks the time: "now" for history entries, backups and recovery
//! files, "this month" for new and imported plans. The model never reads the clock; it is
//! given months and times.

use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::model::YearMonth;

/// The current time.
#[must_use]
pub fn now() -> SystemTime {
    SystemTime::now()
}

/// `2026-12-01T10:53:12Z`: how plan files record a time (RFC 3339, UTC, whole seconds).
#[must_use]
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// [`rfc3339`] of now.
#[must_use]
pub fn now_rfc3339() -> String {
    rfc3339(now())
}

/// A time as people read it, in the computer's own time zone: `1 Dec 2026, 10:53`.
#[must_use]
pub fn local_text(time: SystemTime) -> String {
    in_zone_text(time, &jiff::tz::TimeZone::system())
}

/// A date as people read it, in the computer's own time zone: `1 Dec 2026`.
#[must_use]
pub fn local_date_text(time: SystemTime) -> String {
    match jiff::Timestamp::try_from(time) {
        Ok(t) => t
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%-d %b %Y")
            .to_string(),
        Err(_) => rfc3339(time).chars().take(10).collect(),
    }
}

/// An RFC 3339 time from a file (a history entry) in local time; the text as it is when it
/// is not one (a colleague's tool wrote something else), so nothing is hidden.
#[must_use]
pub fn rfc3339_as_local(text: &str) -> String {
    match text.trim().parse::<jiff::Timestamp>() {
        Ok(t) => t
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%-d %b %Y, %H:%M")
            .to_string(),
        Err(_) => text.to_owned(),
    }
}

/// [`local_text`] in a given zone (tests pin the zone).
#[must_use]
pub fn in_zone_text(time: SystemTime, zone: &jiff::tz::TimeZone) -> String {
    match jiff::Timestamp::try_from(time) {
        Ok(t) => t
            .to_zoned_datetime(zone.clone())
            .strftime("%-d %b %Y, %H:%M")
            .to_string(),
        // Before 9999 BC or after 9999 AD: no clock reads that, but say what it is.
        Err(_) => rfc3339(time),
    }
}

/// A time as part of a file name, sortable and without characters Windows refuses:
/// `2026-12-01T10-53-12.123456Z`.
#[must_use]
pub fn file_name_stamp(time: SystemTime) -> String {
    humantime::format_rfc3339_micros(time)
        .to_string()
        .replace(':', "-")
}

/// The calendar month of `time` in UTC.
#[must_use]
pub fn month_of(time: SystemTime) -> YearMonth {
    let text = rfc3339(time);
    text.get(..7)
        .and_then(|ym| YearMonth::parse(ym).ok())
        .unwrap_or_default()
}

/// The current month, for new and imported plans.
#[must_use]
pub fn this_month() -> YearMonth {
    month_of(now())
}

/// Seconds since the app started, for waits measured in the app (the quiet time before a
/// recovery file is written, the window in which typing merges into one undo step). It reads
/// the system's monotonic clock, so it runs on while the window is hidden (egui's frame time
/// stops then); tests move a manual one by hand.
#[derive(Debug, Clone)]
pub enum Stopwatch {
    System(Instant),
    Manual(Arc<Mutex<f64>>),
}

impl Stopwatch {
    #[must_use]
    pub fn system() -> Self {
        Self::System(Instant::now())
    }

    /// A stopwatch that only moves when [`Self::advance`] is called.
    #[must_use]
    pub fn manual() -> Self {
        Self::Manual(Arc::new(Mutex::new(0.0)))
    }

    #[must_use]
    pub fn seconds(&self) -> f64 {
        match self {
            Self::System(start) => start.elapsed().as_secs_f64(),
            Self::Manual(seconds) => seconds.lock().map_or(0.0, |s| *s),
        }
    }

    /// Moves a manual stopwatch on (a system one cannot be moved).
    pub fn advance(&self, seconds: f64) {
        if let Self::Manual(now) = self
            && let Ok(mut now) = now.lock()
        {
            *now += seconds;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn formats_times_for_files_and_names() {
        // 1 Feb 2010 00:00:00 UTC, the day Windows Azure went live: 14,641 days of 24 hours.
        let launch = UNIX_EPOCH + Duration::from_hours(351_384);
        assert_eq!(rfc3339(launch), "2010-02-01T00:00:00Z");
        assert_eq!(file_name_stamp(launch), "2010-02-01T00-00-00.000000Z");
        assert_eq!(
            month_of(launch),
            YearMonth {
                year: 2010,
                month: 2
            }
        );
    }

    #[test]
    fn formats_times_for_people_in_their_zone() {
        // 1 Dec 2026 10:53:12 UTC = 1,796,122,392 s after the epoch (20,788 days of 86,400 s
        // to 2026-12-01, plus 10 h 53 min 12 s).
        let meeting = UNIX_EPOCH + Duration::from_secs(1_796_122_392);
        assert_eq!(rfc3339(meeting), "2026-12-01T10:53:12Z");
        assert_eq!(
            in_zone_text(meeting, &jiff::tz::TimeZone::UTC),
            "1 Dec 2026, 10:53"
        );
        // Five hours behind UTC (New York in December).
        let new_york = jiff::tz::TimeZone::fixed(jiff::tz::offset(-5));
        assert_eq!(in_zone_text(meeting, &new_york), "1 Dec 2026, 05:53");
        // Eleven hours ahead (Sydney in December): already the next day.
        let sydney = jiff::tz::TimeZone::fixed(jiff::tz::offset(11));
        assert_eq!(in_zone_text(meeting, &sydney), "1 Dec 2026, 21:53");
        // Text that is not a time stays as it was.
        assert_eq!(rfc3339_as_local("yesterday"), "yesterday");
    }
}
