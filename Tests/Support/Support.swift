import Foundation
import Relief

public enum Fixtures {
    public static var hand: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/hand").path
    }
    public static var shipped: String {
        // Tests/ReliefTests/Support.swift → the checkout's data folder
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data").path
    }
}

public func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

public func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// The shortest routine by trying every combination of whole units: an oracle that shares
/// no code with the planner. Returns nil when no combination meets the request.
/// `focus`: sets of exercise indices with the least and most of them a routine uses.
public func bruteForceShortest(_ catalogue: Catalogue, minimums: [Double], share: Double,
                        budget: Double? = nil, maxExercises: Int? = nil,
                        focus: [(members: Set<Int>, least: Int, most: Int?)] = []) -> Double? {
    let n = catalogue.exercises.count
    var best: Double?
    var units = [Int](repeating: 0, count: n)
    func visit(_ k: Int) {
        if k == n {
            var time = 0.0, used = 0
            var cover = [Double](repeating: 0, count: minimums.count)
            for (e, ex) in catalogue.exercises.enumerated() where units[e] > 0 {
                used += 1
                time += Double(units[e]) * ex.secondsPerUnit + ex.setupSeconds
                for c in minimums.indices {
                    let give = ex.benefits[c] * Double(units[e])
                    if minimums[c] > 0 && give > share * minimums[c] + 1e-9 { return }   // blend
                    cover[c] += give
                }
            }
            if let maxExercises, used > maxExercises { return }
            for f in focus {
                let n = f.members.filter { units[$0] > 0 }.count
                if n < f.least || f.most.map({ n > $0 }) == true { return }
            }
            if let budget, time > budget + 1e-9 { return }
            for c in minimums.indices where cover[c] < minimums[c] - 1e-9 { return }
            if best == nil || time < best! { best = time }
            return
        }
        for u in 0...Int(catalogue.exercises[k].maxUnits) { units[k] = u; visit(k + 1) }
    }
    visit(0)
    return best
}

extension PlanRequest {
    /// The optimiser alone, as the hand-solved tests derive it: any equipment and no
    /// strengthening share (the product's defaults are no equipment and a 40 % share).
    public static var bare: PlanRequest {
        var r = PlanRequest()
        r.equipment = nil
        r.strengthShare = 0
        return r
    }
}

/// A two-cause catalogue's causes.csv and exercises.csv header, for tests that write their own rows.
public enum TinyCatalogue {
    public static let causes = """
    id,name,description,default_minimum
    a,Cause A,first,4
    b,Cause B,second,4

    """
    public static let header = "id,name,modality,unit,dose,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if,a,b,source,instructions"
}
