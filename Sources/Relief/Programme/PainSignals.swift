/// The log's pain rules for callers outside the programme (the clinic's alerts): the same
/// functions the programme adapts by (``PainRules``), so a clinician is alerted to exactly
/// what the patient's programme reacts to.
public enum PainSignals {
    /// A flare is a run of at least this many logged days ...
    public static var flareDays: Int { PainRules.flareDays }
    /// ... each at least this far above the reference (the recent median, else the usual pain).
    public static var flareRise: Double { PainRules.flareRise }
    /// The weeks after which no meaningful change asks for a review.
    public static var reviewWeeks: Int { PainRules.reviewWeeks }

    /// Flares ending in `range`, each its run of days and the reference it rose above
    /// (``PainRules/flares(in:_:usual:)``): `pains` by day.
    public static func flares(in range: ClosedRange<CalendarDate>, _ pains: [CalendarDate: Double], usual: Double?)
        -> [(days: [CalendarDate], reference: Double)] {
        PainRules.flares(in: range, pains, usual: usual)
    }

    /// Whether pain went from `usual` to `now` by the minimal important change (2 points or
    /// 30 %, Ostelo et al. 2008).
    public static func improved(from usual: Double, to now: Double) -> Bool { PainRules.improved(from: usual, to: now) }
}
