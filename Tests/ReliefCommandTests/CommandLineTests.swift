import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

@Suite("The relief command", .serialized)
struct CommandLineTests {
    /// The hand-solved routine of PlannerTests, laid out by the table rules: columns padded
    /// to their widest cell, two spaces apart, times as m:ss and right-aligned.
    /// The words are derived here, not copied: the heading from the plan's status (proven
    /// optimal: "the shortest time possible"), the order from what the routine has (no
    /// positions, no warm-up in this catalogue: the kinds of exercise, release before mobilise
    /// before strengthen), the details from the hand solution's binding rows and prices.
    static let golden = """
    Your routine: 3 min 10 s of your 5 min
    It gives every area Relief plans for its full amount, in the shortest time possible.

      #  Exercise       Amount  How      Time  Total
      1  Release three  1 set   60 s     0:40   0:40
      2  Mobility two   2 sets  5 reps   1:30   2:10
      3  Strength one   1 set   10 reps  1:00   3:10

    Time includes getting into position once per exercise and the rests between sets.
    Order: release, then mobilise and strengthen.

    How to do each exercise
      1. Release three: 1 set, 60 s
         Do it.
      2. Mobility two: 2 sets, 5 reps
         Do it.
      3. Strength one: 1 set, 10 reps
         Do it.

    What the routine works on
      Area     This routine gives
      Cause A  the full amount
      Cause B  the full amount

    These areas are Relief's model (an unvalidated premise), not a diagnosis: none of them means your back is damaged. Moving is safe, and back pain usually settles.

    When to stop
    \(stopRules.map { "  - " + $0 }.joined(separator: "\n"))

    New symptoms
    \(RedFlagScreen.symptomTiers(answers: RedFlagScreen.allClear, conditions: []).map { "  - " + $0.line }.joined(separator: "\n"))

    For your physiotherapist (details)
      - Status optimal: GLPK proved that no shorter routine meets every minimum within 5 min.
      - Points against each minimum: cause a 4 of 4, cause b 4 of 4.
      - Limits this routine is at: the cause a minimum; the cause b minimum; the most of the cause a minimum one exercise may give (Strength one); the most of the cause a minimum one exercise may give (Mobility two); the most of the cause b minimum one exercise may give (Release three).
      - Time one more point of each minimum would add (each solved again exactly with that minimum one point higher): cause a +65 s, cause b +45 s.

    \(medicalDisclaimer)

    """

    /// The optimiser alone on the hand-solved catalogue: any equipment, no strengthening
    /// share, the screen answered (the hand derivations assume these).
    static let bare = ["--equipment", "any", "--strength-share", "0", "--screen", "clear"]

    @Test("golden table for the hand-solved catalogue, exit 0")
    func golden() throws {
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "5"] + Self.bare)
        #expect(r.status == 0)
        #expect(r.stdout == Self.golden)
        #expect(r.stderr.isEmpty)
    }

    @Test("JSON: the documented keys and the hand-derived values")
    func json() throws {
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "5", "--format", "json"] + Self.bare)
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 3)
        #expect(object["status"] as? String == "optimal")
        #expect(object["total_seconds"] as? Double == 190)
        #expect(object["budget_seconds"] as? Double == 300)
        #expect(object["gap"] is NSNull)
        let exercises = try #require(object["exercises"] as? [[String: Any]])
        #expect(exercises.map { $0["id"] as? String } == ["e3", "e2", "e1"])
        #expect(exercises.map { $0["units"] as? Double } == [1, 2, 1])
        #expect(exercises.map { $0["seconds"] as? Double } == [40, 90, 60])
        let coverage = try #require(object["coverage"] as? [[String: Any]])
        #expect(coverage.map { $0["achieved"] as? Double } == [4, 4])
        #expect(coverage.map { $0["minimum"] as? Double } == [4, 4])
    }

    @Test("a budget short of every minimum but long enough for some exercise is partial, exit 0")
    func partial() throws {
        // PlannerTests' hand solution: within 180 s the weakest cause reaches 3 of 4 with
        // e1 + e2 + e3 = 160 s; the full routine takes 190 s.
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "3", "--format", "json"] + Self.bare)
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "partial")
        #expect(object["minimum_seconds_needed"] as? Double == 190)
        #expect(object["total_seconds"] as? Double == 160)
        let text = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "3"] + Self.bare)
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("Your routine: 2 min 40 s of your 3 min (partial)\n"))
        // What more time gives is the full routine's own length (190 s), not a difference.
        #expect(text.stdout.contains("With 3 min 10 s you could do the full amount for every area."))
        let markdown = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "3", "--format", "markdown"] + Self.bare)
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("# Your routine: 2 min 40 s of your 3 min (partial)\n"))
    }

    @Test("a budget too short for one cause but not for one exercise is still partial")
    func partialOneExercise() throws {
        // 40 s: only e3 fits (40 s a set; e1 and e2 take 60 s, e4 105 s), so no routine works
        // on both causes; e3 may give half of b's minimum of 4, one set of 2 points.
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "0.6667", "--format", "json"] + Self.bare)
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "partial")
        let exercises = try #require(object["exercises"] as? [[String: Any]])
        #expect(exercises.map { $0["id"] as? String } == ["e3"])
        #expect(exercises.map { $0["units"] as? Double } == [1])
    }

    @Test("a budget shorter than any exercise is over budget, exit 3, and says what the full routine needs")
    func overBudget() throws {
        // The quickest exercise is e3 at 40 s a set: 30 s fits nothing.
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "0.5", "--format", "json"] + Self.bare)
        #expect(r.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "over_budget")
        #expect(object["minimum_seconds_needed"] as? Double == 190)
        #expect(object["total_seconds"] as? Double == 0)
        #expect((object["exercises"] as? [Any])?.isEmpty == true)
        let text = try runRelief(["plan", "--data", Fixtures.hand, "--minutes", "0.5"] + Self.bare)
        #expect(text.status == 3)
        #expect(text.stdout.hasPrefix("Nothing usable fits in 30 s\n"))
        #expect(text.stdout.contains("With 3 min 10 s you could do the full amount for every area."))
    }

    @Test("a mistyped condition, id, equipment or cause says what was meant")
    func didYouMean() throws {
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--avoid", "flexion-intolerent", "--exclude", "e5",
                               "--equipment", "bal", "--min", "aa=3"] + Self.bare.filter { $0 != "any" && $0 != "--equipment" })
        #expect(r.status == 64)
        #expect(r.stderr.contains("got \"flexion-intolerent\"; did you mean \"flexion-intolerant\"?"))
        // e5 is one letter from each of e1-e4: the first, e1.
        #expect(r.stderr.contains("--exclude must be an exercise id from the catalogue (`relief catalogue list` shows them), got \"e5\"; did you mean \"e1\"?"))
        #expect(r.stderr.contains("got \"bal\"; did you mean \"ball\"?"))
        #expect(r.stderr.contains("got \"aa\"; did you mean \"a\"?"))
        // Nothing near: no guess.
        let far = try runRelief(["plan", "--data", Fixtures.hand, "--avoid", "headache"] + Self.bare)
        #expect(far.status == 64)
        #expect(!far.stderr.contains("did you mean"))
    }

    @Test("an uncoverable cause exits 4 and names what removed its exercises")
    func uncoverable() throws {
        let r = try runRelief(["plan", "--data", Fixtures.hand, "--avoid", "flexion-intolerant", "--exclude", "e4"] + Self.bare)
        #expect(r.status == 4)
        #expect(r.stdout.contains("Cause A: the exercises left can give cause a at most 2 points, below the minimum of 4"))
        #expect(r.stdout.contains("e2 (bends the back forwards, which hurts you for now (flexion-intolerant))"))
    }

    @Test("bad data exits 65 with file:line:column on stderr and nothing on stdout")
    func badData() throws {
        try withTemporaryDirectory { dir in
            try write(TinyCatalogue.causes, to: dir + "/causes.csv")
            try write(TinyCatalogue.header + "\ne1,One,strengthen,set,,-30,yes,3,0,,,2,0,src,Do.\n", to: dir + "/exercises.csv")
            let lp = dir + "/model.lp"
            let r = try runRelief(["plan", "--data", dir, "--export-lp", lp])
            #expect(r.status == 65)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("\(dir)/exercises.csv:2:6: seconds_per_unit must be a number from 0.1 to 86,400, got \"-30\""))
            #expect(!FileManager.default.fileExists(atPath: lp))
            let check = try runRelief(["catalogue", "check", "--data", dir])
            #expect(check.status == 65)
        }
    }

    @Test("bad usage exits 64 with a message that says how to fix it")
    func badUsage() throws {
        let r = try runRelief(["plan", "--minutes=-2"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--minutes must be a number above 0 and at most 1,440, got -2"))
        let u = try runRelief(["plan", "--data", Fixtures.hand, "--avoid", "bad-knees"])
        #expect(u.status == 64)
        #expect(u.stderr.contains("--avoid must be a known condition, one of flexion-intolerant, got \"bad-knees\""))
    }

    @Test("the shipped data plans with no flag but the budget, and twice gives the same bytes")
    func shipped() throws {
        // With no equipment (the default) a routine meeting every minimum fits in 20 min 18 s, by hand
        // from data/exercises.csv (units × seconds_per_unit + setup): standing hip flexor 85 + 5, side bend
        // 85 + 5, braced walking 3 × 75 + 5, child's pose 2 × 55 + 15, knee rolls 2 × 55 + 15, double knee
        // to chest 2 × 79 + 15, figure-4 85 + 15, drawing-in 2 × 135 + 15 = 1,218 s, covering muscle
        // 3+3+9+4+2+2+3+8 = 34 ≥ 20, joint 1+1+3+6+6+6+1+2 = 26 ≥ 16, trigger 1+1+0+2+2+2+2+2 = 12 ≥ 12,
        // strengthening 225 + 270 s of 1,218 ≥ 40 %: so 22 minutes is enough.
        let a = try runRelief(["plan", "--data", Fixtures.shipped, "--minutes", "22", "--format", "json"])
        let b = try runRelief(["plan", "--data", Fixtures.shipped, "--minutes", "22", "--format", "json"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("\"status\" : \"optimal\""))
    }

    @Test("the frontier writes a chart and a row per budget")
    func frontier() throws {
        try withTemporaryDirectory { dir in
            let chart = dir + "/f.svg"
            let r = try runRelief(["frontier", "--data", Fixtures.hand, "--from", "2", "--to", "4", "--chart", chart] + Self.bare)
            #expect(r.status == 0)
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 4)
            // 2 min: within 120 s at most e4 (105 s, 2 of 4 each: 50 %) or e2 ×2 + ... ;
            // 4 min ≥ 190 s: every cause covered.
            #expect(lines[3].contains("optimal") && lines[3].contains("100%"))
            let svg = try String(contentsOfFile: chart, encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.contains("polyline"))
        }
    }
}
