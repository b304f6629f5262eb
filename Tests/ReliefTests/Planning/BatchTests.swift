import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

@Suite("Batch planning")
struct BatchTests {
    @Test("every batch plan is byte-identical to the plan of the same request alone")
    func batchEqualsSingle() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        var requests = RequestGenerator(seed: 3).requests(count: 60, catalogue: catalogue)
        requests[0].explain = true            // explanations re-use the model too
        requests[1].explain = true
        let lines = requests.map(\.batchLine)
        let batch = BatchPlanner(planner: Planner(catalogue: catalogue), threads: 2).run(lines: lines)
        #expect(batch.count == requests.count)
        for (k, request) in requests.enumerated() {
            // A fresh planner, models built anew, on this thread.
            let alone = try Planner(catalogue: catalogue).plan(request).jsonLine()
            #expect(batch[k] == alone, "request \(k + 1): \(lines[k])")
        }
        let statuses = Set(batch.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["status"] as? String })
        #expect(statuses.isSuperset(of: ["optimal", "partial"]), "the sample should exercise both paths")
    }

    @Test("bad lines get an error line and the batch goes on")
    func badLines() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.hand)
        let out = BatchPlanner(planner: Planner(catalogue: catalogue), threads: 2)
            .run(lines: [#"{"minutes": 5, "equipment": ["ball"], "strength_share": 0}"#, "nonsense", #"{"minutes": 5, "colour": "red"}"#, #"{"minutes": -1}"#])
        #expect(out[0].contains(#""status":"optimal""#) && out[0].contains(#""total_seconds":190"#))
        #expect(out[1].hasPrefix(#"{"error":"column 1: request: not valid JSON: unexpected 'n'"#))
        #expect(out[1].hasSuffix(#""line":2,"problems":[{"column":1,"expected":"not valid JSON: unexpected 'n': expected a value (did you mean null?)","field":"request"}]}"#))
        #expect(out[2].hasPrefix(#"{"error":"column 26: colour: unknown key; expected one of conditions, equipment, exclude, explain, focus, include, max_exercises, max_share, minimums, minutes, screen, strength_share, time_limit","line":3"#))
        #expect(out[3] == #"{"error":"column 13: minutes must be a number above 0 and at most 1,440, got -1","line":4,"problems":[{"column":13,"expected":"a number above 0 and at most 1,440","field":"minutes","value":"-1"}]}"#)
    }

    @Test("relief batch prints, for each line, the plan relief plan prints for the same request")
    func commandLine() throws {
        try withTemporaryDirectory { dir in
            let input = dir + "/requests.jsonl"
            try write("{\"minutes\": 5}\n{\"minutes\": 3, \"explain\": true}\n", to: input)
            let batch = try runRelief(["batch", "--data", Fixtures.hand, "--input", input])
            #expect(batch.status == 0)
            let lines = batch.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            let single = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "5", "--format", "json", "--no-explain"])
            let a = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? NSDictionary
            #expect(a != nil && a == b)
        }
    }
}
