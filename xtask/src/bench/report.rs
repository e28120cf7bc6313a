//! The bench's results, the targets they are held to, and their rendering as text.

use std::time::Duration;

use super::measure::{Measurement, Timing};

/// Everything one `cargo xtask bench` measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Timed runs per measurement.
    pub runs: usize,
    pub documents: Vec<DocumentResult>,
    /// Progenitor on nexus (`--vs-progenitor`).
    pub progenitor_nexus: Option<Measurement>,
    pub scaling: Scaling,
    /// `None` with `--no-check`.
    pub check: Option<CheckResult>,
}

/// rampgen's generation from one document.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    /// The short name the targets use: `nexus`, `discord`, …
    pub name: &'static str,
    /// As shown in the table: `specs/ripio.yaml`, `corpus/discord-openapi.json`, …
    pub shown: String,
    pub input_bytes: u64,
    pub measured: Measurement,
}

/// Generation from a document replicated 1×, 2×, 4×.
#[derive(Debug, Clone)]
pub struct Scaling {
    /// The document replicated, as shown.
    pub seed: String,
    /// Why the seed is not the intended one, when it is not.
    pub note: Option<String>,
    /// By increasing number of copies; the first is 1×.
    pub steps: Vec<ScalingStep>,
}

#[derive(Debug, Clone)]
pub struct ScalingStep {
    pub copies: usize,
    pub input_bytes: u64,
    pub measured: Measurement,
}

/// `cargo check` of the crates generated from nexus, and of the checked-in client.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub rampgen: Timing,
    /// Progenitor's output (`--vs-progenitor`).
    pub progenitor: Option<Timing>,
    /// The workspace's `generated-client`: both providers' whole APIs, as users compile them.
    pub generated_client: Timing,
}

/// Whether a target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Miss,
    /// This run did not measure what the target needs (e.g. no `--vs-progenitor`).
    NotMeasured,
}

/// One of the project's performance targets, held against this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub goal: &'static str,
    pub verdict: Verdict,
    /// The numbers behind the verdict, or what was not measured.
    pub detail: String,
}

/// Generation of nexus, as a share of progenitor's wall-clock time in the same run.
const NEXUS_VS_PROGENITOR: f64 = 0.33;
/// … and of its CPU time: threads may shorten the wall-clock, not the work.
const NEXUS_CPU_VS_PROGENITOR: f64 = 0.5;
const NEXUS_PEAK_RSS_MIB: f64 = 21.0;
/// `cargo check` of rampgen's nexus crate, as a share of progenitor's output's.
const CHECK_VS_PROGENITOR: f64 = 0.45;
/// `cargo check` of `generated-client` before issue 16 (both providers' whole APIs, webhooks
/// and pagination): commit aa5ccf6's `generated-client/src` and runtime checked the way this
/// bench checks it (its target folder, the toolchain's cargo), median of 6 runs interleaved with
/// 6 of the code after it, which took 1.89 s, on the 2-core reference machine. It must not grow
/// for the same API surface.
const GENERATED_CLIENT_CHECK_BEFORE: Duration = Duration::from_millis(1_920);
const LARGE_DOCUMENT_TIME: Duration = Duration::from_secs(1);
/// The generated chain of 3,000 `$ref`s: work per link must not grow with the chain.
const REF_CHAIN_TIME: Duration = Duration::from_millis(50);
/// The generated document of 20,000 operations (about 5 MiB): any document up to 5 MiB.
const WIDE_DOCUMENT_TIME: Duration = Duration::from_secs(2);
/// Peak memory of the wide document as a multiple of its size.
const WIDE_DOCUMENT_RSS_FACTOR: f64 = 40.0;
/// The shaped documents of [`super::generated::SHAPES`] (just under 5 MiB each) are held to the
/// same two targets: (name, time goal, memory goal).
const SHAPE_TARGETS: [(&str, &str, &str); 5] = [
    (
        "wide-enum",
        "an enum of 5 MiB of values < 2 s",
        "an enum of 5 MiB of values peak RSS < 40×",
    ),
    (
        "wide-object",
        "an object of 5 MiB of properties < 2 s",
        "an object of 5 MiB of properties peak RSS < 40×",
    ),
    (
        "nested",
        "5 MiB of objects nested 40 deep < 2 s",
        "5 MiB of objects nested 40 deep peak RSS < 40×",
    ),
    (
        "unions",
        "5 MiB of 60-branch oneOfs < 2 s",
        "5 MiB of 60-branch oneOfs peak RSS < 40×",
    ),
    (
        "linked-objects",
        "5 MiB of objects each holding the last < 2 s",
        "5 MiB of objects each holding the last peak RSS < 40×",
    ),
];
/// How much the time per MiB may grow from 1× to the largest replication and still count as
/// linear: room for noise, not for a quadratic step (which would double it at 4×).
const SCALING_TOLERANCE: f64 = 1.25;

const MIB: f64 = 1024.0 * 1024.0;

impl Report {
    fn document(&self, name: &str) -> Option<&DocumentResult> {
        self.documents.iter().find(|d| d.name == name)
    }

    /// Every target, in the order they are printed.
    pub fn targets(&self) -> Vec<Target> {
        let nexus = self.document("nexus").map(|d| d.measured);
        let check = self.check.as_ref();
        vec![
            ratio_target(
                "nexus generation ≤ 0.33× progenitor's wall time (same run)",
                nexus.map(|m| m.time.median),
                self.progenitor_nexus.map(|m| m.time.median),
                NEXUS_VS_PROGENITOR,
                "run with --vs-progenitor",
            ),
            ratio_target(
                "nexus generation ≤ 0.5× progenitor's CPU time (same run)",
                nexus.and_then(|m| m.cpu),
                self.progenitor_nexus.and_then(|m| m.cpu),
                NEXUS_CPU_VS_PROGENITOR,
                "run with --vs-progenitor on a platform that reports CPU time",
            ),
            nexus_peak_rss(nexus),
            ratio_target(
                "nexus crate cargo check ≤ 0.45× progenitor's output's",
                check.map(|c| c.rampgen.median),
                check.and_then(|c| c.progenitor).map(|t| t.median),
                CHECK_VS_PROGENITOR,
                match check {
                    None => "skipped (--no-check)",
                    Some(_) => "run with --vs-progenitor",
                },
            ),
            match check {
                Some(check) => Target {
                    goal: "generated-client cargo check ≤ 1.92 s (before issue 16)",
                    verdict: verdict(
                        check.generated_client.median <= GENERATED_CLIENT_CHECK_BEFORE,
                    ),
                    detail: duration(check.generated_client.median),
                },
                None => not_measured(
                    "generated-client cargo check ≤ 1.92 s (before issue 16)",
                    "skipped (--no-check)",
                ),
            },
            within(
                "discord generation < 1 s",
                self.document("discord"),
                LARGE_DOCUMENT_TIME,
            ),
            within(
                "openai generation < 1 s",
                self.document("openai"),
                LARGE_DOCUMENT_TIME,
            ),
            linear_scaling(&self.scaling),
            within(
                "a chain of 3,000 $refs < 50 ms",
                self.document("ref-chain"),
                REF_CHAIN_TIME,
            ),
            within(
                "20,000 operations < 2 s",
                self.document("operations"),
                WIDE_DOCUMENT_TIME,
            ),
            peak_rss_within_factor(
                "20,000 operations peak RSS < 40× the document",
                self.document("operations"),
                WIDE_DOCUMENT_RSS_FACTOR,
            ),
        ]
        .into_iter()
        .chain(SHAPE_TARGETS.iter().flat_map(|&(name, time, memory)| {
            [
                within(time, self.document(name), WIDE_DOCUMENT_TIME),
                peak_rss_within_factor(memory, self.document(name), WIDE_DOCUMENT_RSS_FACTOR),
            ]
        }))
        .collect()
    }

    /// The tables and the targets, as printed at the end of a run.
    pub fn render(&self) -> String {
        let mut out = format!(
            "generation (release build, whole process; median of {}; corpus = tests/corpus):\n",
            runs(self.runs)
        );
        let mut rows: Vec<Vec<String>> = self
            .documents
            .iter()
            .map(|d| measurement_row(&d.shown, Some(d.input_bytes), &d.measured))
            .collect();
        if let (Some(theirs), Some(nexus)) = (self.progenitor_nexus, self.document("nexus")) {
            let label = format!("{} by progenitor", nexus.shown);
            rows.push(measurement_row(&label, Some(nexus.input_bytes), &theirs));
        }
        out += &table(
            &[
                "document", "input", "median", "min", "max", "CPU", "peak RSS", "lines",
            ],
            &rows,
        );

        out += &format!(
            "\nscaling ({} replicated: its schemas and paths copied under new names):\n",
            self.scaling.seed
        );
        if let Some(note) = &self.scaling.note {
            out += &format!("  note: {note}\n");
        }
        out += &scaling_table(&self.scaling.steps);

        if let Some(check) = &self.check {
            out += &format!(
                "\ncargo check of the crate generated from nexus (dependencies built, CARGO_INCREMENTAL=0; median of {}):\n",
                runs(check.rampgen.runs)
            );
            let mut rows = vec![timing_row("rampgen", &check.rampgen)];
            rows.extend(check.progenitor.map(|t| timing_row("progenitor", &t)));
            out += &table(&["generator", "median", "min", "max"], &rows);
            out += &format!(
                "\ncargo check of generated-client (both providers; dependencies built, CARGO_INCREMENTAL=0; median of {}):\n",
                runs(check.generated_client.runs)
            );
            out += &table(
                &["crate", "median", "min", "max"],
                &[timing_row("generated-client", &check.generated_client)],
            );
        }

        out += "\ntargets:\n";
        let targets = self.targets();
        let width = targets.iter().map(|t| t.goal.chars().count()).max();
        for target in &targets {
            let verdict = match target.verdict {
                Verdict::Pass => "PASS",
                Verdict::Miss => "MISS",
                Verdict::NotMeasured => "----",
            };
            let width = width.unwrap_or(0);
            out += &format!("  {verdict}  {:<width$}  {}\n", target.goal, target.detail);
        }
        out
    }
}

fn verdict(met: bool) -> Verdict {
    if met {
        Verdict::Pass
    } else {
        Verdict::Miss
    }
}

fn not_measured(goal: &'static str, why: &str) -> Target {
    Target {
        goal,
        verdict: Verdict::NotMeasured,
        detail: format!("not measured: {why}"),
    }
}

/// `ours` at most `limit` times `theirs`.
fn ratio_target(
    goal: &'static str,
    ours: Option<Duration>,
    theirs: Option<Duration>,
    limit: f64,
    missing: &str,
) -> Target {
    let (Some(ours), Some(theirs)) = (ours, theirs) else {
        return not_measured(goal, missing);
    };
    let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
    Target {
        goal,
        verdict: verdict(ratio <= limit),
        detail: format!("{} vs {} = {ratio:.2}×", duration(ours), duration(theirs)),
    }
}

fn nexus_peak_rss(nexus: Option<Measurement>) -> Target {
    let goal = "nexus generation peak RSS ≤ 21 MiB";
    match nexus.and_then(|m| m.peak_rss) {
        Some(peak) => Target {
            goal,
            verdict: verdict((peak as f64 / MIB) <= NEXUS_PEAK_RSS_MIB),
            detail: size(peak),
        },
        None => not_measured(goal, "the platform does not report peak RSS"),
    }
}

fn within(goal: &'static str, document: Option<&DocumentResult>, limit: Duration) -> Target {
    match document {
        Some(document) => {
            let median = document.measured.time.median;
            Target {
                goal,
                verdict: verdict(median < limit),
                detail: format!("{} for {}", duration(median), size(document.input_bytes)),
            }
        }
        None => not_measured(goal, "the document was not generated"),
    }
}

fn peak_rss_within_factor(
    goal: &'static str,
    document: Option<&DocumentResult>,
    factor: f64,
) -> Target {
    let Some(document) = document else {
        return not_measured(goal, "the document was not generated");
    };
    match document.measured.peak_rss {
        Some(peak) => {
            let ratio = peak as f64 / document.input_bytes.max(1) as f64;
            Target {
                goal,
                verdict: verdict(ratio < factor),
                detail: format!(
                    "{} for {} = {ratio:.1}×",
                    size(peak),
                    size(document.input_bytes)
                ),
            }
        }
        None => not_measured(goal, "the platform does not report peak RSS"),
    }
}

fn linear_scaling(scaling: &Scaling) -> Target {
    let goal = "linear scaling: ms/MiB at the largest ≤ 1.25× at 1×";
    let (Some(first), Some(last)) = (scaling.steps.first(), scaling.steps.last()) else {
        return not_measured(goal, "no replicated documents");
    };
    let growth = ms_per_mib(last) / ms_per_mib(first);
    Target {
        goal,
        verdict: verdict(growth <= SCALING_TOLERANCE),
        detail: format!(
            "{:.0} ms/MiB at {}× vs {:.0} at {}× = {growth:.2}×",
            ms_per_mib(last),
            last.copies,
            ms_per_mib(first),
            first.copies
        ),
    }
}

fn ms_per_mib(step: &ScalingStep) -> f64 {
    step.measured.time.median.as_secs_f64() * 1000.0 / (step.input_bytes as f64 / MIB)
}

fn scaling_table(steps: &[ScalingStep]) -> String {
    let base = steps.first().map(|s| s.measured.time.median.as_secs_f64());
    let rows: Vec<Vec<String>> = steps
        .iter()
        .map(|step| {
            let median = step.measured.time.median;
            let vs_first = base.map_or(String::new(), |base| {
                format!("{:.2}×", median.as_secs_f64() / base)
            });
            vec![
                format!("{}×", step.copies),
                size(step.input_bytes),
                duration(median),
                step.measured.cpu.map_or("n/a".to_string(), duration),
                format!("{:.0}", ms_per_mib(step)),
                step.measured.peak_rss.map_or("n/a".to_string(), size),
                vs_first,
            ]
        })
        .collect();
    table(
        &[
            "copies",
            "input",
            "median",
            "CPU",
            "ms/MiB",
            "peak RSS",
            "time vs 1×",
        ],
        &rows,
    )
}

fn measurement_row(label: &str, input: Option<u64>, measured: &Measurement) -> Vec<String> {
    let mut row = timing_row(label, &measured.time);
    row.insert(1, input.map_or(String::new(), size));
    row.push(measured.cpu.map_or("n/a".to_string(), duration));
    row.push(measured.peak_rss.map_or("n/a".to_string(), size));
    row.push(measured.lines.to_string());
    row
}

fn timing_row(label: &str, time: &Timing) -> Vec<String> {
    vec![
        label.to_string(),
        duration(time.median),
        duration(time.min),
        duration(time.max),
    ]
}

/// A table indented by two spaces, columns two spaces apart: the first (names) aligned left,
/// the others (numbers) right.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let lines: Vec<&Vec<String>> = std::iter::once(&header).chain(rows).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            let cells = lines.iter().filter_map(|line| line.get(column));
            cells.map(|cell| cell.chars().count()).max().unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| match column {
                0 => format!("{cell:<width$}"),
                _ => format!("{cell:>width$}"),
            })
            .collect();
        out += &format!("  {}\n", cells.join("  ").trim_end());
    }
    out
}

/// `1 run`, `5 runs`.
fn runs(count: usize) -> String {
    match count {
        1 => "1 run".to_string(),
        _ => format!("{count} runs"),
    }
}

/// `4.2 ms`, `310 ms`, `1.27 s`.
fn duration(time: Duration) -> String {
    let ms = time.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// `7 KiB`, `2.8 MiB`.
fn size(bytes: u64) -> String {
    let bytes = bytes as f64;
    if bytes < MIB {
        format!("{:.0} KiB", bytes / 1024.0)
    } else {
        format!("{:.1} MiB", bytes / MIB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shaped_document_has_its_targets() {
        let names: Vec<&str> = SHAPE_TARGETS.iter().map(|(name, _, _)| *name).collect();
        let shapes: Vec<&str> = super::super::generated::SHAPES
            .iter()
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(names, shapes);
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn measured(median_ms: u64, peak_mib: u64) -> Measurement {
        Measurement {
            time: Timing {
                median: ms(median_ms),
                min: ms(median_ms - 1),
                max: ms(median_ms + 1),
                runs: 3,
            },
            cpu: Some(ms(median_ms * 3 / 2)),
            peak_rss: Some(peak_mib << 20),
            lines: 1000,
        }
    }

    fn document(name: &'static str, median_ms: u64, peak_mib: u64) -> DocumentResult {
        DocumentResult {
            name,
            shown: format!("corpus/{name}.json"),
            input_bytes: 3 << 20,
            measured: measured(median_ms, peak_mib),
        }
    }

    fn step(copies: usize, median_ms: u64) -> ScalingStep {
        ScalingStep {
            copies,
            input_bytes: (copies as u64) << 20,
            measured: measured(median_ms, 10),
        }
    }

    fn report() -> Report {
        Report {
            runs: 3,
            documents: vec![
                document("nexus", 100, 20),
                document("discord", 900, 30),
                document("openai", 1900, 70),
                document("ref-chain", 30, 10),
                document("operations", 2500, 150),
            ],
            progenitor_nexus: Some(measured(250, 40)),
            scaling: Scaling {
                seed: "corpus/openai.yaml".to_string(),
                note: None,
                steps: vec![step(1, 1000), step(2, 2000), step(4, 6000)],
            },
            check: Some(CheckResult {
                rampgen: measured(5000, 0).time,
                progenitor: None,
                generated_client: measured(1500, 0).time,
            }),
        }
    }

    fn verdicts(report: &Report) -> Vec<Verdict> {
        report.targets().iter().map(|t| t.verdict).collect()
    }

    #[test]
    fn targets_are_held_against_the_measurements() {
        use Verdict::*;
        let report = report();
        // 100 ms > 0.33 × 250 ms of wall, but 150 ms ≤ 0.5 × 375 ms of CPU; 20 MiB; no
        // progenitor check; 1.5 s for generated-client; 0.9 s; 1.9 s; 1.5× per MiB; a 30 ms chain;
        // 2.5 s and 150 MiB (50×) for 3 MiB of operations; the shaped documents not run.
        let verdicts = verdicts(&report);
        assert_eq!(verdicts[11..], [NotMeasured; 2 * SHAPE_TARGETS.len()]);
        assert_eq!(
            verdicts[..11],
            [
                Miss,
                Pass,
                Pass,
                NotMeasured,
                Pass,
                Pass,
                Miss,
                Miss,
                Pass,
                Miss,
                Miss
            ]
        );
        assert_eq!(report.targets()[10].detail, "150.0 MiB for 3.0 MiB = 50.0×");
        assert_eq!(
            report.targets()[0].detail,
            "100 ms vs 250 ms = 0.40×".to_string()
        );
        assert_eq!(report.targets()[1].detail, "150 ms vs 375 ms = 0.40×");
        assert_eq!(
            report.targets()[3].detail,
            "not measured: run with --vs-progenitor"
        );
        assert_eq!(report.targets()[4].detail, "1.50 s");
    }

    #[test]
    fn missing_measurements_are_not_misses() {
        let mut report = report();
        report.progenitor_nexus = None;
        report.check = None;
        report.documents[0].measured.peak_rss = None;
        let targets = report.targets();
        for target in &targets[..5] {
            assert_eq!(target.verdict, Verdict::NotMeasured, "{}", target.goal);
        }
        assert_eq!(targets[3].detail, "not measured: skipped (--no-check)");
        assert_eq!(targets[4].detail, "not measured: skipped (--no-check)");
    }

    #[test]
    fn ratios_at_the_limit_pass() {
        let at =
            |ours, theirs| ratio_target("g", Some(ms(ours)), Some(ms(theirs)), 0.6, "").verdict;
        assert_eq!(at(60, 100), Verdict::Pass);
        assert_eq!(at(61, 100), Verdict::Miss);
    }

    #[test]
    fn tables_align_names_left_and_numbers_right() {
        let rows = vec![
            vec!["a".to_string(), "1 ms".to_string()],
            vec!["long name".to_string(), "1.25 s".to_string()],
        ];
        assert_eq!(
            table(&["what", "time"], &rows),
            "  what         time\n  a            1 ms\n  long name  1.25 s\n"
        );
    }

    #[test]
    fn units_are_readable() {
        assert_eq!(duration(Duration::from_micros(4_240)), "4.2 ms");
        assert_eq!(duration(ms(310)), "310 ms");
        assert_eq!(duration(ms(1_274)), "1.27 s");
        assert_eq!(size(7 * 1024), "7 KiB");
        assert_eq!(size(2_970_622), "2.8 MiB");
    }

    #[test]
    fn the_report_shows_every_section() {
        let text = report().render();
        for expected in [
            "corpus/nexus.json by progenitor",
            "scaling (corpus/openai.yaml replicated",
            "  4×      4.0 MiB  6.00 s  9.00 s    1500  10.0 MiB       6.00×",
            "cargo check of the crate generated from nexus",
            "  generated-client  1.50 s  1.50 s  1.50 s",
            "  MISS  openai generation < 1 s",
        ] {
            assert!(text.contains(expected), "{expected:?} not in\n{text}");
        }
    }
}
