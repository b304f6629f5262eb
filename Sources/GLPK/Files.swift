import CGLPK
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Model file formats GLPK reads and writes, so glpsol, HiGHS or CBC can solve exactly the
/// model we solved.
public enum ModelFormat: Sendable, Hashable {
    /// CPLEX LP format.
    case cplexLP
    /// Free (modern) MPS format. GLPK 5.0's MPS writer drops the objective sense, so a
    /// maximisation is written with the standard `OBJSENSE MAX` section, which HiGHS, CBC
    /// and ``Problem/read(from:format:)`` understand but `glpsol` does not (give glpsol the
    /// CPLEX LP file, or `--max`).
    case freeMPS
}

extension Problem {
    /// Writes the model to `path`. The file appears whole or not at all: GLPK writes a
    /// temporary file beside it, which is then renamed over `path`.
    /// The corresponding C functions are `glp_write_lp` and `glp_write_mps`.
    public func write(to path: String, format: ModelFormat) throws {
        checkThread()
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let (code, log) = withTerminalCaptured {
            switch format {
            case .cplexLP: glp_write_lp(prob, nil, temporary)
            case .freeMPS: glp_write_mps(prob, GLP_MPS_FILE, nil, temporary)
            }
        }
        guard code == 0 else {
            unlink(temporary)
            throw GLPKError.file(path: path, reason: "could not write the model", log: log)
        }
        if format == .freeMPS && direction == .maximize {
            do {
                let text = try String(contentsOfFile: temporary, encoding: .utf8)
                try text.replacingOccurrences(of: "\nROWS\n", with: "\nOBJSENSE\n    MAX\nROWS\n")
                    .write(toFile: temporary, atomically: false, encoding: .utf8)
            } catch {
                unlink(temporary)
                throw GLPKError.file(path: path, reason: "could not add the objective sense: \(error)", log: "")
            }
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GLPKError.file(path: path, reason: "could not move the written model into place: \(reason)", log: "")
        }
    }

    /// The model as text in `format` (written by GLPK to a private temporary file, read back
    /// and removed), for callers that write it themselves.
    public func text(format: ModelFormat) throws -> String {
        checkThread()
        let folder = FileManager.default.temporaryDirectory.path
        let temporary = (folder as NSString).appendingPathComponent("glpk-model-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { unlink(temporary) }
        try write(to: temporary, format: format)
        do { return try String(contentsOfFile: temporary, encoding: .utf8) } catch {
            throw GLPKError.file(path: temporary, reason: "could not read the written model back: \(error)", log: "")
        }
    }

    /// Reads a model written in CPLEX LP or free MPS format into a new problem.
    /// The corresponding C functions are `glp_read_lp` and `glp_read_mps`.
    public static func read(from path: String, format: ModelFormat) throws -> Problem {
        let problem = Problem()
        var source = path
        var sense: Direction?
        if format == .freeMPS, let stripped = try? objectiveSenseStripped(mpsAt: path) {
            source = stripped.path
            sense = stripped.sense
        }
        defer { if source != path { unlink(source) } }
        let (code, log) = withTerminalCaptured {
            switch format {
            case .cplexLP: glp_read_lp(problem.prob, nil, source)
            case .freeMPS: glp_read_mps(problem.prob, GLP_MPS_FILE, nil, source)
            }
        }
        guard code == 0 else {
            throw GLPKError.file(path: path, reason: "could not read the model", log: log)
        }
        if let sense { glp_set_obj_dir(problem.prob, sense == .maximize ? GLP_MAX : GLP_MIN) }
        problem.loadMirrorFromGLPK()
        return problem
    }

    /// GLPK's MPS reader rejects an `OBJSENSE` section: take it out into a temporary copy.
    /// Nil when the file has none (or cannot be read: GLPK then reports the error itself).
    private static func objectiveSenseStripped(mpsAt path: String) throws -> (path: String, sense: Direction)? {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        guard let k = lines.firstIndex(where: { $0.split(separator: " ").first == "OBJSENSE" }) else { return nil }
        var words = lines[k].split(separator: " ").dropFirst().map(String.init)
        var remove = 1
        if words.isEmpty, k + 1 < lines.count {
            words = lines[k + 1].split(separator: " ").map(String.init)
            remove = 2
        }
        let sense: Direction = words.first.map { $0.uppercased().hasPrefix("MAX") } == true ? .maximize : .minimize
        lines.removeSubrange(k..<(k + remove))
        let copy = FileManager.default.temporaryDirectory
            .appendingPathComponent("objsense-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).mps").path
        try lines.joined(separator: "\n").write(toFile: copy, atomically: false, encoding: .utf8)
        return (copy, sense)
    }

    /// Fills the Swift-side copy of the model from what GLPK holds (after reading a file).
    private func loadMirrorFromGLPK() {
        let n = Int(glp_get_num_cols(prob)), m = Int(glp_get_num_rows(prob))
        func bounds(type: Int32, lb: Double, ub: Double) -> (Double?, Double?) {
            switch type {
            case GLP_FR: (nil, nil)
            case GLP_LO: (lb, nil)
            case GLP_UP: (nil, ub)
            default: (lb, ub)
            }
        }
        kinds = []; columnLower = []; columnUpper = []; objective = []
        for j in stride(from: 1, through: n, by: 1) {
            let jj = Int32(j)
            let kind = glp_get_col_kind(prob, jj)
            let (l, u) = bounds(type: glp_get_col_type(prob, jj), lb: glp_get_col_lb(prob, jj), ub: glp_get_col_ub(prob, jj))
            kinds.append(kind == GLP_BV ? .binary : kind == GLP_IV ? .integer : .continuous)
            columnLower.append(l); columnUpper.append(u)
            objective.append(glp_get_obj_coef(prob, jj))
        }
        rowColumns = []; rowValues = []; rowLower = []; rowUpper = []
        var ind = [Int32](repeating: 0, count: n + 1)
        var val = [Double](repeating: 0, count: n + 1)
        for i in stride(from: 1, through: m, by: 1) {
            let ii = Int32(i)
            let (l, u) = bounds(type: glp_get_row_type(prob, ii), lb: glp_get_row_lb(prob, ii), ub: glp_get_row_ub(prob, ii))
            rowLower.append(l); rowUpper.append(u)
            let len = Int(glp_get_mat_row(prob, ii, &ind, &val))
            let pairs = stride(from: 1, through: len, by: 1).map { (ind[$0], val[$0]) }.sorted { $0.0 < $1.0 }
            rowColumns.append(pairs.map(\.0)); rowValues.append(pairs.map(\.1))
        }
        setMirrorObjective(glp_get_obj_dir(prob) == GLP_MAX ? .maximize : .minimize, constant: glp_get_obj_coef(prob, 0))
    }
}
