import Relief

extension LogEntry {
    /// The entry as one line of the programme log (JSON Lines, README "The programme log"):
    /// `date`, `kind`, then the fact's fields, in that order.
    public func jsonLine() throws(EncodingFailure) -> String { try JSONWriter.compact.text(LogLine(entry: self)) }
}

/// A log entry's JSON object, its keys in the log's order.
private struct LogLine: JSONKeysInOrder {
    let entry: LogEntry

    enum Keys: String, CodingKey {
        case date, kind, done, painBefore = "pain_before", painAfter = "pain_after", effort, pain, symptom
        case nprs, rmdq, odi, psfs, pgic, answers
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(entry.date.description, forKey: .date)
        switch entry.fact {
        case let .session(done, before, after, effort):
            try c.encode("session", forKey: .kind)
            switch done {
            case .all: try c.encode("all", forKey: .done)
            case .none: try c.encode("none", forKey: .done)
            case .some(let ids): try c.encode(ids, forKey: .done)
            }
            try c.encodeIfPresent(before, forKey: .painBefore)
            try c.encodeIfPresent(after, forKey: .painAfter)
            try c.encodeIfPresent(effort, forKey: .effort)
        case .morning(let pain):
            try c.encode("morning", forKey: .kind)
            try c.encode(pain, forKey: .pain)
        case .symptom(let symptom):
            try c.encode("symptom", forKey: .kind)
            try c.encode(symptom.rawValue, forKey: .symptom)
        case .cleared:
            try c.encode("cleared", forKey: .kind)
        case .outcome(let a):
            try c.encode("outcome", forKey: .kind)
            try c.encodeIfPresent(a.nprs, forKey: .nprs)
            try c.encodeIfPresent(a.rmdq?.map { $0 ? 1 : 0 }, forKey: .rmdq)
            if let odi = a.odi { try c.encode(odi.map(Nullable.init), forKey: .odi) }
            if let psfs = a.psfs { try c.encode(psfs.map { PSFSLine(activity: $0.activity, score: $0.score) }, forKey: .psfs) }
            try c.encodeIfPresent(a.pgic?.key, forKey: .pgic)
        case .startBack(let s):
            try c.encode("startback", forKey: .kind)
            try c.encode(s.answers, forKey: .answers)
        }
    }
}

/// A PSFS activity in the log: `activity` then `score`.
private struct PSFSLine: JSONKeysInOrder {
    let activity: String
    let score: Double
}
