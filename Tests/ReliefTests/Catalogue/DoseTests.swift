import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

/// Doses in numbers (issue 21): the arithmetic by hand, the shipped rows against it, and
/// the check's messages on a bad catalogue.
@Suite("Doses in numbers")
struct DoseTests {
    // MARK: The arithmetic, by hand

    @Test("a dose's time and words, worked by hand")
    func arithmetic() {
        // Prone opposite arm and leg lift: 8 reps × (2 s + 2 s hold) × 2 sides = 64 s, + 15 s rest = 79 s.
        let lift = Dose(kind: .reps, reps: 8, repSeconds: 2, holdSeconds: 2)
        #expect(lift.workSeconds(sides: 2) == 64)
        #expect(lift.neededSeconds(sides: 2, rest: 15) == 79)
        #expect(lift.text(sides: 2, whole: true) == "8 reps each side, 2 s hold")
        #expect(lift.arithmetic(sides: 2, rest: 15) == "8 reps × (2 s + 2 s hold) × 2 sides + 15 s rest = 79 s")
        // A McGill pyramid each side: 12 holds × (3 s + 8 s) × 2 = 264 s, + 15 s = 279 s.
        let pyramid = Dose(kind: .holds, reps: 12, repSeconds: 3, holdSeconds: 8, note: "in a reverse pyramid")
        #expect(pyramid.neededSeconds(sides: 2, rest: 15) == 279)
        #expect(pyramid.text(sides: 2, whole: true) == "12 holds of 8 s each side, in a reverse pyramid")
        // A release bout: 90 s × 2 sides = 180 s, + 15 s = 195 s.
        let roll = Dose(kind: .timed, reps: 1, repSeconds: 0, holdSeconds: 90)
        #expect(roll.neededSeconds(sides: 2, rest: 15) == 195)
        #expect(roll.text(sides: 2, whole: true) == "90 s each side")
        #expect(roll.arithmetic(sides: 2, rest: 15) == "90 s × 2 sides + 15 s rest = 195 s")
        // Circles without a hold: 20 × 3 s = 60 s, + 15 s = 75 s; one side, no "each side".
        let circles = Dose(kind: .circles, reps: 20, repSeconds: 3, holdSeconds: 0, note: "half each way")
        #expect(circles.neededSeconds(sides: 1, rest: 15) == 75)
        #expect(circles.text(sides: 1, whole: true) == "20 circles, half each way")
        #expect(circles.arithmetic(sides: 1, rest: 15) == "20 circles × 3 s + 15 s rest = 75 s")
        // One stretch: 1 × (5 s + 30 s) × 2 = 70 s, + 15 s = 85 s; the singular noun.
        let stretch = Dose(kind: .holds, reps: 1, repSeconds: 5, holdSeconds: 30)
        #expect(stretch.neededSeconds(sides: 2, rest: 15) == 85)
        #expect(stretch.text(sides: 2, whole: true) == "1 hold of 30 s each side")
        // A minute of walking, done in any amount: the amount is the time, so only the note shows.
        let walk = Dose(kind: .timed, reps: 1, repSeconds: 0, holdSeconds: 60, note: "brisk walking")
        #expect(walk.neededSeconds(sides: 1, rest: 0) == 60)
        #expect(walk.text(sides: 1, whole: false) == "brisk walking")
        // Whole minutes from two up read as minutes.
        #expect(Dose(kind: .timed, reps: 1, repSeconds: 0, holdSeconds: 120).text(sides: 1, whole: true) == "2 min")
    }

    @Test("shipped rows the issue named, worked by hand")
    func shippedByHand() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        func row(_ id: String) throws -> Exercise { try #require(catalogue.exerciseIndex(id).map { catalogue.exercises[$0] }) }
        // (id, seconds by hand, text by hand)
        let cases: [(String, Double, String)] = [
            ("prone-arm-leg-lift", 8 * (2 + 2) * 2 + 15, "8 reps each side, 2 s hold"),     // was 40 s
            ("sciatic-slider", 10 * 4 * 2 + 15, "10 reps each side, slowly"),              // was 40 s
            ("slump-slider", 10 * 4 * 2 + 15, "10 reps each side, slowly"),                // was 40 s
            ("hip-circles", 20 * 3 + 15, "20 circles, half each way"),                     // was 30 s
            ("glute-bridge", 10 * (4 + 3) + 15, "10 reps, 3 s hold"),                      // was 50 s
            ("pelvic-tilt", 5 * (3 + 2) + 15, "5 tilts, 2 s hold"),                        // was 20 s
            ("side-bridge-knees", 12 * (3 + 8) * 2 + 15, "12 holds of 8 s each side, in a reverse pyramid"),
            ("hamstring-strap", 1 * (5 + 30) * 2 + 15, "1 hold of 30 s each side"),
            ("glute-roll", 90 * 2 + 15, "90 s each side"),
            ("brisk-walk", 60, "brisk walking"),
        ]
        for (id, seconds, text) in cases {
            let ex = try row(id)
            #expect(ex.secondsPerUnit == seconds, "\(id)")
            #expect(ex.dose == text, "\(id)")
        }
    }

    // MARK: Every shipped row

    /// The shipped file's rows as text, read with the CSV reader alone, so the arithmetic
    /// below does not go through the loader it checks.
    func shippedTable() throws -> CSVTable {
        try CSVTable.read(path: Fixtures.shipped + "/exercises.csv", displayName: "exercises.csv")
    }

    @Test("every shipped row: its time per set is at least what its dose needs, and its text says the numbers")
    func everyRow() throws {
        let table = try shippedTable()
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let col = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
        #expect(table.records.count == catalogue.exercises.count)
        for record in table.records {
            func raw(_ name: String) -> String { record.fields[col[name]!] }
            func number(_ name: String) -> Double { raw(name).isEmpty ? 0 : Double(raw(name))! }
            let ex = try #require(catalogue.exerciseIndex(raw("id")).map { catalogue.exercises[$0] })
            let reps = number("reps"), tempo = number("rep_seconds"), hold = number("hold_seconds")
            let sides = raw("sides").isEmpty ? 1 : number("sides"), rest = number("rest_seconds")
            #expect(!raw("dose_kind").isEmpty, "\(ex.id): no dose in numbers")
            let need = reps * (tempo + hold) * sides + rest
            #expect(need > 0, "\(ex.id)")
            #expect(ex.secondsPerUnit >= need, "\(ex.id): \(ex.secondsPerUnit) s per set < \(need) s the dose needs")
            // Derived, not typed: the shipped file leaves the time empty.
            #expect(raw("seconds_per_unit").isEmpty, "\(ex.id): seconds_per_unit typed")
            #expect(ex.secondsPerUnit == need, "\(ex.id)")
            // The text agrees with the numbers: the count, the hold, the sides, and no other number.
            let numbers = numbersIn(ex.dose)
            if raw("dose_kind") == "timed" {
                #expect(numbers == (ex.whole ? [hold] : []), "\(ex.id): \"\(ex.dose)\"")
            } else {
                #expect(numbers == (hold > 0 ? [reps, hold] : [reps]), "\(ex.id): \"\(ex.dose)\"")
            }
            #expect(ex.dose.contains("each side") == (sides == 2), "\(ex.id): \"\(ex.dose)\"")
            #expect(!ex.dose.isEmpty, "\(ex.id)")
            // Instructions give no ranges of seconds ("2-3 s") and any "hold N s" is the column's hold.
            #expect(ex.instructions.range(of: #"\d+-\d+ s"#, options: .regularExpression) == nil, "\(ex.id)")
            if let r = ex.instructions.range(of: #"hold \d+ s"#, options: .regularExpression) {
                #expect(numbersIn(String(ex.instructions[r])) == [hold], "\(ex.id): \(ex.instructions[r])")
            }
        }
    }

    /// The numbers written in a text, in order ("12 holds of 8 s" → [12, 8]).
    func numbersIn(_ text: String) -> [Double] {
        text.split(whereSeparator: { !($0.isNumber || $0 == ".") }).compactMap { Double($0) }
    }

    @Test("every shipped stop cue says when to stop, not how to do the exercise")
    func stopCues() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let doingCues = ["keep breathing", "keep the back", "move only", "never bounce", "gentle stretch", "keep a hand",
                         "good hurt", "brace", "slowly"]
        for ex in catalogue.exercises {
            // Shown as "Stop if: <cue>": a condition, starting in lower case, not a second "Stop if".
            #expect(ex.stopIf.first?.isLowercase == true && !ex.stopIf.lowercased().hasPrefix("stop"), "\(ex.id): \"\(ex.stopIf)\"")
            for cue in doingCues { #expect(!ex.stopIf.lowercased().contains(cue), "\(ex.id): \"\(ex.stopIf)\" has \"\(cue)\"") }
        }
        // The balance exercises stop on dizziness; the nerve sliders and the rest of the floor work on leg symptoms.
        for id in ["single-leg-stance", "tandem-stance", "heel-to-toe-walk"] {
            #expect(catalogue.exercises[catalogue.exerciseIndex(id)!].stopIf.contains("dizzy"), "\(id)")
        }
        for ex in catalogue.exercises where ex.modality != .aerobic && ex.group != "balance" {
            #expect(ex.stopIf.contains("tingling"), "\(ex.id)")
        }
    }

    @Test("every shipped strengthening exercise is on a ladder of its own group")
    func ladders() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let byID = Dictionary(uniqueKeysWithValues: catalogue.exercises.map { ($0.id, $0) })
        let easierOf = Dictionary(uniqueKeysWithValues: catalogue.exercises.compactMap { ex in ex.harder.map { ($0, ex.id) } })
        for ex in catalogue.exercises {
            if ex.modality == .strengthen {
                #expect(ex.harder != nil || easierOf[ex.id] != nil, "\(ex.id) has neither a regression nor a progression")
                #expect(ex.group != nil, "\(ex.id)")
            } else {
                #expect(ex.harder == nil, "\(ex.id)")
            }
            if let harder = ex.harder {
                let next = try #require(byID[harder])
                #expect(next.modality == .strengthen && next.group == ex.group, "\(ex.id) → \(harder)")
            }
        }
        // The ladders, easiest first, as docs/sources.md and README describe them.
        let chains = Ladders(catalogue: catalogue).chains.map { $0.map { catalogue.exercises[$0].id } }
        let expected: Set<[String]> = [
            ["drawing-in", "dead-bug", "bracing-walk"], ["wall-plank", "forearm-plank"], ["mcgill-curl-up", "curl-up-elbows-up"],
            ["wall-side-plank", "side-bridge-knees", "side-bridge-full"], ["standing-bird-dog", "bird-dog"],
            ["prone-leg-lift", "prone-arm-leg-lift"], ["glute-bridge", "single-leg-bridge"],
            ["clamshell", "banded-clamshell", "side-hip-abduction"], ["hip-hinge-dowel", "sit-to-stand-hands", "sit-to-stand", "wall-sit"],
            ["tandem-stance", "heel-to-toe-walk", "single-leg-stance"],
        ]
        #expect(Set(chains) == expected)
        #expect(chains.count == expected.count)
    }

    // MARK: The check's messages

    // Columns: 1 id, 2 name, 3 modality, 4 unit, 5 dose, 6 dose_kind, 7 reps, 8 rep_seconds,
    // 9 hold_seconds, 10 seconds_per_unit, 11 whole, 12 max_units, 13 setup_seconds, 14 equipment,
    // 15 avoid_if, 16 a, 17 b, 18 source, 19 instructions, 20 sides, 21 rest_seconds, 22 group, 23 harder.
    static let header = "id,name,modality,unit,dose,dose_kind,reps,rep_seconds,hold_seconds,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if,a,b,source,instructions,sides,rest_seconds,group,harder"

    func row(_ id: String, _ modality: String = "strengthen", dose: String = "", kind: String = "reps", reps: String = "8",
             tempo: String = "2", hold: String = "2", seconds: String = "", sides: String = "2", rest: String = "15",
             group: String = "trunk", harder: String = "") -> String {
        [id, "Ex \(id)", modality, "set", dose, kind, reps, tempo, hold, seconds, "yes", "3", "0", "", "", "1", "0", "src", "Do.",
         sides, rest, group, harder].joined(separator: ",")
    }

    /// `relief catalogue check`'s problems for a catalogue whose exercises.csv is `text`, the
    /// folder written as DIR; the loader must refuse it with the same messages.
    func check(_ text: String) throws -> [String] {
        try withTemporaryDirectory { dir in
            try write(TinyCatalogue.causes, to: dir + "/causes.csv")
            try write(text, to: dir + "/exercises.csv")
            let found = Catalogue.check(directory: dir).map { $0.description.replacingOccurrences(of: dir, with: "DIR") }
            do {
                _ = try Catalogue.load(directory: dir)
                #expect(found.isEmpty, "the loader accepted what the check refused")
            } catch let e as DataErrors {
                #expect(e.issues.map { $0.description.replacingOccurrences(of: dir, with: "DIR") } == found)
            }
            return found
        }
    }

    @Test("a good catalogue in numbers loads, its times derived")
    func good() throws {
        #expect(try check([Self.header, row("e1"), row("e2", seconds: "100")].joined(separator: "\n") + "\n") == [])
    }

    @Test("a dose that cannot fit its time is refused, with the arithmetic")
    func tooShort() throws {
        // e2 on line 3: 8 × (2 + 2) × 2 + 15 = 79 s, and 40 s were given.
        let text = [Self.header, row("e1"), row("e2", seconds: "40"), row("e3", kind: "holds", reps: "3", tempo: "5", hold: "20",
                                                                         seconds: "60", sides: "1")].joined(separator: "\n")
        #expect(try check(text) == [
            "DIR/exercises.csv:3:10: seconds_per_unit 40 is less than the dose needs: 8 reps × (2 s + 2 s hold) × 2 sides + 15 s rest = 79 s",
            // 3 × (5 + 20) + 15 = 90 s
            "DIR/exercises.csv:4:10: seconds_per_unit 60 is less than the dose needs: 3 holds × (5 s + 20 s hold) + 15 s rest = 90 s",
        ])
    }

    @Test("dose columns that do not make a dose", arguments: [
        (["kind": ""], "DIR/exercises.csv:2:6: dose_kind must be one of timed, holds, reps, cycles, circles, tilts, rolls, steps: this catalogue gives every dose in numbers, so the time per set follows from it"),
        (["kind": "sets"], "DIR/exercises.csv:2:6: dose_kind must be one of timed, holds, reps, cycles, circles, tilts, rolls, steps, got \"sets\""),
        (["reps": "2.5"], "DIR/exercises.csv:2:7: reps must be a whole number from 1 to 1,000, got \"2.5\""),
        (["reps": "0"], "DIR/exercises.csv:2:7: reps must be a whole number from 1 to 1,000, got \"0\""),
        (["tempo": "-1"], "DIR/exercises.csv:2:8: rep_seconds must be a number from 0 to 3,600, got \"-1\""),
        (["tempo": "0", "hold": ""], "DIR/exercises.csv:2:8: rep_seconds must be more than 0 for reps: a repetition takes time, got \"0\""),
        (["kind": "holds", "hold": ""], "DIR/exercises.csv:2:9: hold_seconds must be more than 0 for holds, got \"\""),
        (["kind": "timed", "reps": "2", "tempo": "0", "hold": "60"], "DIR/exercises.csv:2:7: reps must be 1 for a timed bout (its length is hold_seconds), got \"2\""),
        (["kind": "timed", "reps": "1", "tempo": "3", "hold": "60"], "DIR/exercises.csv:2:8: rep_seconds must be 0 for a timed bout (its length is hold_seconds), got \"3\""),
        (["dose": "8-10 reps"], "DIR/exercises.csv:2:5: dose \"8-10 reps\" has numbers, but with dose_kind the text is generated from the numbers (\"8 reps each side, 2 s hold\"); leave dose empty or give a note without numbers"),
    ])
    func badDose(change: [String: String], expected: String) throws {
        let text = [Self.header, row("e1", dose: change["dose"] ?? "", kind: change["kind"] ?? "reps", reps: change["reps"] ?? "8",
                                     tempo: change["tempo"] ?? "2", hold: change["hold"] ?? "2")].joined(separator: "\n") + "\n"
        #expect(try check(text) == [expected])
    }

    @Test("the dose's columns need dose_kind; a typed time without them must still hold its rest")
    func oldFormat() throws {
        let header = TinyCatalogue.header + ",reps"
        // header: id,name,modality,unit,dose,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if,a,b,source,instructions,reps
        #expect(try check(header + "\ne1,One,strengthen,set,,60,yes,3,0,,,2,0,src,Do.,8\n") == [
            "DIR/exercises.csv:1:16: column \"reps\" is part of a dose in numbers and needs the dose_kind column too (dose_kind,reps,rep_seconds,hold_seconds)",
        ])
        let rest = TinyCatalogue.header + ",rest_seconds\ne1,One,strengthen,set,,10,yes,3,0,,,2,0,src,Do.,15\n"
        #expect(try check(rest) == ["DIR/exercises.csv:2:6: seconds_per_unit 10 is less than rest_seconds 15, which it includes"])
    }

    @Test("ladders: strengthening only, one group, no loops")
    func badLadders() throws {
        let text = [Self.header,
                    row("e1", harder: "e2"),                            // line 2: fine
                    row("e2", harder: "s1"),                            // line 3: to a stretch
                    row("s1", "stretch", harder: "e7"),                 // line 4: from a stretch
                    row("e3", group: "legs"),                           // line 5
                    row("e4", harder: "e3"),                            // line 6: across groups
                    row("e5", harder: "e6"), row("e6", harder: "e5"),   // lines 7-8: a loop
                    row("e7"),                                          // line 9
                    ].joined(separator: "\n")
        #expect(try check(text) == [
            "DIR/exercises.csv:3:23: harder must name a strengthening exercise, got \"s1\" (stretch)",
            "DIR/exercises.csv:4:23: harder is for strengthening exercises only; \"s1\" is stretch",
            "DIR/exercises.csv:6:23: harder must stay in the muscle group \"trunk\", got \"e3\" in \"legs\"",
            "DIR/exercises.csv:7:23: the ladder from \"e5\" loops back to it; harder variants must lead upwards",
            "DIR/exercises.csv:8:23: the ladder from \"e6\" loops back to it; harder variants must lead upwards",
        ])
    }

    @Test("a catalogue built in code with a dose that cannot fit is out of range")
    func codeBuilt() {
        var ex = Exercise(id: "e1", name: "One", modality: .strengthen, unit: "set", dose: "", secondsPerUnit: 40, whole: true,
                          maxUnits: 3, setupSeconds: 0, equipment: [], avoidIf: [], benefits: [1], source: "s", instructions: "")
        ex.sides = 2
        ex.restSeconds = 15
        ex.setDose = Dose(kind: .reps, reps: 8, repSeconds: 2, holdSeconds: 2)
        let catalogue = Catalogue(causes: [Cause(id: "a", name: "A", description: "", defaultMinimum: 1)], exercises: [ex])
        #expect(catalogue.rangeProblems() == [RequestProblem(field: "exercises.e1.seconds_per_unit", value: "40",
                                                             expected: "at least what the dose needs: 8 reps × (2 s + 2 s hold) × 2 sides + 15 s rest = 79 s")])
    }
}
