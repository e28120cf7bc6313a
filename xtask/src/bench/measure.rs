//! What a timed run reports and the statistics over runs.

use std::fmt;
use std::time::Duration;

/// The line a timed generator prints last on its standard output:
/// `bench-result peak-rss-bytes=<n|unknown> lines=<n>`. Both `xtask bench-one` and the
/// progenitor comparison binary print it, so that the two are measured alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultLine {
    /// The process's peak resident set (`VmHWM`), when the platform reports it.
    pub peak_rss: Option<u64>,
    /// Lines of Rust the generator wrote.
    pub lines: usize,
}

const PREFIX: &str = "bench-result";

impl ResultLine {
    /// The last result line in a child's standard output (a generator may print before it).
    pub fn find(stdout: &str) -> Option<Self> {
        stdout.lines().rev().find_map(Self::parse)
    }

    /// Parses one line; `None` when it is not a well-formed result line.
    pub fn parse(line: &str) -> Option<Self> {
        let mut words = line.split_whitespace();
        if words.next()? != PREFIX {
            return None;
        }
        let (mut peak_rss, mut lines) = (None, None);
        for word in words {
            match word.split_once('=')? {
                ("peak-rss-bytes", "unknown") => peak_rss = Some(None),
                ("peak-rss-bytes", bytes) => peak_rss = Some(Some(bytes.parse().ok()?)),
                ("lines", count) => lines = Some(count.parse().ok()?),
                _ => return None,
            }
        }
        Some(Self {
            peak_rss: peak_rss?,
            lines: lines?,
        })
    }
}

impl fmt::Display for ResultLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX} peak-rss-bytes=")?;
        match self.peak_rss {
            Some(bytes) => write!(f, "{bytes}")?,
            None => f.write_str("unknown")?,
        }
        write!(f, " lines={}", self.lines)
    }
}

/// One timed run of a generator: the wall-clock of the whole process, the CPU time it used
/// (user and system, all its threads), and what it reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub wall: Duration,
    /// `None` where the platform does not report children's CPU time.
    pub cpu: Option<Duration>,
    pub result: ResultLine,
}

/// The CPU time (user and system) used so far by this process's children that have ended
/// and been waited for. The difference across one child's run is that child's CPU time, in
/// microseconds: threads that overlap add up, so a gain from threads is not a gain here.
#[cfg(unix)]
pub fn children_cpu() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` is a valid, writable `rusage`; getrusage only writes into it.
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    if status != 0 {
        return None;
    }
    // SAFETY: getrusage returned 0, so it filled `usage` (it was zeroed besides).
    let usage = unsafe { usage.assume_init() };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

/// Children's CPU time is not read on this platform.
#[cfg(not(unix))]
pub fn children_cpu() -> Option<Duration> {
    None
}

/// Wall-clock statistics over the runs of one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
    pub runs: usize,
}

impl Timing {
    /// The statistics of `times`; `None` when there are none.
    pub fn of(times: &[Duration]) -> Option<Self> {
        Some(Self {
            median: median(times)?,
            min: *times.iter().min()?,
            max: *times.iter().max()?,
            runs: times.len(),
        })
    }
}

/// A generator on one document, over all runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    pub time: Timing,
    /// The median CPU time of the runs, when every run reported one.
    pub cpu: Option<Duration>,
    /// The largest peak resident set any run reported.
    pub peak_rss: Option<u64>,
    /// Lines written (the same every run; the last run's).
    pub lines: usize,
}

impl Measurement {
    /// Summarises the runs; `None` when there are none.
    pub fn of(samples: &[Sample]) -> Option<Self> {
        let times: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        let cpu: Option<Vec<Duration>> = samples.iter().map(|s| s.cpu).collect();
        Some(Self {
            time: Timing::of(&times)?,
            cpu: cpu.as_deref().and_then(median),
            peak_rss: samples.iter().filter_map(|s| s.result.peak_rss).max(),
            lines: samples.last()?.result.lines,
        })
    }
}

/// The median of `times` (the mean of the middle two for an even count); `None` when empty.
pub fn median(times: &[Duration]) -> Option<Duration> {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[ms(7)]), Some(ms(7)));
        assert_eq!(median(&[ms(9), ms(1), ms(5)]), Some(ms(5)));
        assert_eq!(median(&[ms(4), ms(1), ms(10), ms(2)]), Some(ms(3)));
    }

    #[test]
    fn result_lines_round_trip() {
        for line in [
            ResultLine {
                peak_rss: Some(15_675_392),
                lines: 23_492,
            },
            ResultLine {
                peak_rss: None,
                lines: 0,
            },
        ] {
            assert_eq!(ResultLine::parse(&line.to_string()), Some(line));
        }
    }

    #[test]
    fn the_last_result_line_of_the_output_counts() {
        let stdout = "wrote 3 files\nbench-result peak-rss-bytes=1 lines=2\n\
                      bench-result peak-rss-bytes=unknown lines=5\n";
        assert_eq!(
            ResultLine::find(stdout),
            Some(ResultLine {
                peak_rss: None,
                lines: 5
            })
        );
    }

    #[test]
    fn malformed_result_lines_are_rejected() {
        for line in [
            "",
            "bench-result",
            "bench-result lines=5",
            "bench-result peak-rss-bytes=12 lines=many",
            "bench-result peak-rss-bytes=-1 lines=5",
            "bench-result peak-rss-bytes=12 lines=5 extra",
            "result peak-rss-bytes=12 lines=5",
        ] {
            assert_eq!(ResultLine::parse(line), None, "{line:?}");
        }
    }

    #[test]
    fn a_measurement_takes_the_median_time_and_the_largest_peak() {
        let sample = |wall, peak_rss| Sample {
            wall: ms(wall),
            cpu: Some(ms(wall * 2)),
            result: ResultLine {
                peak_rss,
                lines: 10,
            },
        };
        let measured =
            Measurement::of(&[sample(30, Some(5)), sample(10, None), sample(20, Some(9))]);
        assert_eq!(
            measured,
            Some(Measurement {
                time: Timing {
                    median: ms(20),
                    min: ms(10),
                    max: ms(30),
                    runs: 3
                },
                cpu: Some(ms(40)),
                peak_rss: Some(9),
                lines: 10,
            })
        );
        assert_eq!(Measurement::of(&[]), None);
        // A run without a CPU figure leaves the measurement without one, not a skewed median.
        let mut partial = sample(10, None);
        partial.cpu = None;
        let measured = Measurement::of(&[sample(30, None), partial]).expect("measured");
        assert_eq!(measured.cpu, None);
    }

    #[cfg(unix)]
    #[test]
    fn a_child_s_cpu_time_is_counted_once_it_has_been_waited_for() {
        let before = children_cpu().expect("unix reports it");
        // A child that spins for a while: its CPU time shows up after the wait.
        let status = std::process::Command::new("sh")
            .args(["-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"])
            .status()
            .expect("sh runs");
        assert!(status.success());
        let after = children_cpu().expect("unix reports it");
        assert!(after > before, "{after:?} after, {before:?} before");
    }
}
