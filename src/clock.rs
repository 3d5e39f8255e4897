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
        // 1 Feb 2010 00:00:00 UTC, the day Windows Azure went live.
        let launch = UNIX_EPOCH + Duration::from_secs(1_264_982_400);
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
}
